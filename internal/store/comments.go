package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/dateline/dateline/internal/audit"

	"github.com/dateline/dateline/internal/client"
	"github.com/dateline/dateline/internal/comment"
)

const commentColumns = `c.id, c.article_id, a.slug, a.headline, a.published_at, c.name, c.email, c.body, c.status,
	c.created_at, c.ip, coalesce((SELECT text FROM user_agents WHERE id = c.user_agent_id), '')`

func scanComment(row scanner) (comment.Comment, error) {
	var c comment.Comment
	var status string
	err := row.Scan(&c.ID, &c.ArticleID, &c.ArticleSlug, &c.ArticleHeadline, &c.ArticlePublishedAt,
		&c.Name, &c.Email, &c.Body, &status, &c.CreatedAt, &c.IP, &c.UserAgent)
	c.Status = comment.Status(status)
	c.CreatedAt = c.CreatedAt.UTC()
	c.ArticlePublishedAt = c.ArticlePublishedAt.UTC()
	return c, err
}

// The statements of a reader's comment, each an index lookup (see
// migrations 0015 and 0019). A client is its network (comment.Network):
// ?1 of floodSQL, ?3 of dupSQL and ?10 of insertCommentSQL, which stores
// it as NULL when it is the address itself. floodSQL reads the client's
// ?2-th newest comment (none when it has sent fewer): when it is inside
// the window, the client has sent the limit's worth. dupSQL looks for the
// same text from the same client on the same article.
const floodSQL = `SELECT created_at FROM comments WHERE coalesce(network, ip) = ?1 AND client_seq =
	nullif(max(coalesce((SELECT client_seq FROM comments WHERE coalesce(network, ip) = ?1
		ORDER BY client_seq DESC LIMIT 1), 0) - ?2 + 1, 0), 0)`
const dupSQL = `SELECT count(*) FROM comments WHERE article_id = ?1 AND body_hash = ?2 AND coalesce(network, ip) = ?3 AND created_at > ?4`
const addUserAgentSQL = `INSERT INTO user_agents (text) SELECT ?1 WHERE ?1 != '' ON CONFLICT DO NOTHING`
const insertCommentSQL = `INSERT INTO comments (article_id, name, email, body, status, created_at, ip, network, user_agent_id, client_seq, body_hash)
	VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?10, ?7), (SELECT id FROM user_agents WHERE text = ?8),
		coalesce((SELECT client_seq FROM comments WHERE coalesce(network, ip) = ?10 ORDER BY client_seq DESC LIMIT 1), 0) + 1, ?9)`

// bodyHash is the body_hash of a comment's text: FNV-1a of the form the
// duplicate rule compares (comment.DuplicateKey), never 0 (the mark of
// comments from before the column). The rule compares hashes only: 64
// bits, among one client's comments on one article within minutes.
// (Comments stored before this rule hashed the text as written.)
func bodyHash(body string) int64 {
	h := fnv.New64a()
	h.Write([]byte(comment.DuplicateKey(body)))
	if v := int64(h.Sum64()); v != 0 {
		return v
	}
	return 1
}

// ErrTooMany is returned when a client has sent as many comments as the
// limit allows in the window.
var ErrTooMany = errors.New("store: too many comments")

// CommentLimits are the checks AddReaderComment makes.
type CommentLimits struct {
	PerClient       int           // comments one client address may send ...
	Window          time.Duration // ... within this window
	DuplicateWindow time.Duration // the same text from the same client on the same article is refused within this
}

// AddReaderComment stores a reader's comment after checking, in the same
// write transaction, that its client has not sent limits.PerClient comments
// in the window (ErrTooMany, with the instant the Nth newest leaves it) and that
// the client did not post the same text to the article within the duplicate window
// (ErrDuplicate). Counting and storing together means parallel posts cannot
// slip past the limit.
func (s *Store) AddReaderComment(ctx context.Context, c comment.Comment, limits CommentLimits) (id int64, retryAt time.Time, err error) {
	now := c.CreatedAt.UTC()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		flood, err := s.txStatement(ctx, tx, floodSQL)
		if err != nil {
			return err
		}
		var nth time.Time
		switch err := flood.QueryRowContext(ctx, client.Network(c.IP), limits.PerClient).Scan(&nth); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case nth.After(now.Add(-limits.Window)):
			retryAt = nth.UTC().Add(limits.Window)
			return ErrTooMany
		}
		dup, err := s.txStatement(ctx, tx, dupSQL)
		if err != nil {
			return err
		}
		var n int
		if err := dup.QueryRowContext(ctx, c.ArticleID, bodyHash(c.Body), client.Network(c.IP), now.Add(-limits.DuplicateWindow)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrDuplicate
		}
		id, err = s.insertComment(ctx, tx, c)
		return err
	})
	if err != nil {
		return 0, retryAt, fmt.Errorf("store: add comment to article %d: %w", c.ArticleID, err)
	}
	return id, time.Time{}, nil
}

// insertComment stores a comment; one that is approved at once changes its
// article's page, which the change log records.
func (s *Store) insertComment(ctx context.Context, tx *sql.Tx, c comment.Comment) (int64, error) {
	var w commentWriter
	var err error
	if w.addUserAgent, err = s.txStatement(ctx, tx, addUserAgentSQL); err != nil {
		return 0, err
	}
	if w.insert, err = s.txStatement(ctx, tx, insertCommentSQL); err != nil {
		return 0, err
	}
	res, err := w.write(ctx, c)
	if err != nil {
		return 0, err
	}
	if c.Status == comment.Approved {
		if err := logCommentsChange(ctx, tx, c.ArticleID); err != nil {
			return 0, err
		}
	}
	return res.LastInsertId()
}

// commentWriter stores comments with the statements of one transaction.
type commentWriter struct {
	addUserAgent, insert *sql.Stmt
	// agents, when set, are the user agents stored in this transaction,
	// which need no second look (a bulk save's comments share a few).
	agents map[string]bool
}

func (w *commentWriter) write(ctx context.Context, c comment.Comment) (sql.Result, error) {
	if !w.agents[c.UserAgent] {
		if _, err := w.addUserAgent.ExecContext(ctx, c.UserAgent); err != nil {
			return nil, err
		}
		if w.agents != nil {
			w.agents[c.UserAgent] = true
		}
	}
	return w.insert.ExecContext(ctx, c.ArticleID, c.Name, c.Email, c.Body, string(c.Status),
		c.CreatedAt.UTC().Truncate(time.Second), c.IP, c.UserAgent, bodyHash(c.Body), client.Network(c.IP))
}

// AddComment stores a comment and returns its id, without the checks a
// reader's comment gets (for imports and samples).
func (s *Store) AddComment(ctx context.Context, c comment.Comment) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertComment(ctx, tx, c)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: add comment to article %d: %w", c.ArticleID, err)
	}
	return id, nil
}

// ApprovedComments lists an article's approved comments, oldest first,
// with what readers are shown of them: id, name, text and time.
func (s *Store) ApprovedComments(ctx context.Context, articleID int64) ([]comment.Comment, error) {
	// Only what readers are shown: the rest (e-mail, client address, user
	// agent) stays with the moderators, and every column read costs.
	const q = `SELECT c.id, c.name, c.body, c.created_at FROM comments c
		WHERE c.article_id = ? AND c.status = 'approved' ORDER BY c.created_at, c.id`
	rows, err := s.query(ctx, q, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: comments of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var list []comment.Comment
	for rows.Next() {
		c := comment.Comment{ArticleID: articleID, Status: comment.Approved}
		if err := rows.Scan(&c.ID, &c.Name, &c.Body, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: comments of article %d: %w", articleID, err)
		}
		c.CreatedAt = c.CreatedAt.UTC()
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: comments of article %d: %w", articleID, err)
	}
	return list, nil
}

// Comments lists comments with the given status, or all when status is
// empty, newest first, limit of them after skipping offset.
func (s *Store) Comments(ctx context.Context, status comment.Status, limit, offset int) ([]comment.Comment, error) {
	const q = `SELECT ` + commentColumns + ` FROM comments c JOIN articles a ON a.id = c.article_id
		WHERE (?1 = '' OR c.status = ?1) ORDER BY c.created_at DESC, c.id DESC LIMIT ?2 OFFSET ?3`
	return s.comments(ctx, q, string(status), limit, offset)
}

// CommentCounts counts comments by status.
func (s *Store) CommentCounts(ctx context.Context) (map[comment.Status]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT status, count(*) FROM comments GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("store: comment counts: %w", err)
	}
	defer rows.Close()
	counts := map[comment.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: comment counts: %w", err)
		}
		counts[comment.Status(st)] = n
	}
	return counts, rows.Err()
}

func (s *Store) comments(ctx context.Context, q string, args ...any) ([]comment.Comment, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	var list []comment.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: comments: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	return list, nil
}

// SetCommentStatus moves a comment to another moderation status.
func (s *Store) SetCommentStatus(ctx context.Context, id int64, status comment.Status) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error { return moderateComment(ctx, tx, id, status) })
	if err != nil {
		return fmt.Errorf("store: comment %d: %w", id, err)
	}
	return nil
}

// DeleteComment removes a comment for good.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	return s.SetCommentStatus(ctx, id, "")
}

// moderateComment gives a comment a new status, or deletes it when status
// is empty. A change into or out of approved is logged, because it
// changes the article's page.
func moderateComment(ctx context.Context, tx *sql.Tx, id int64, status comment.Status) error {
	var articleID int64
	var old string
	err := tx.QueryRowContext(ctx, `SELECT article_id, status FROM comments WHERE id = ?`, id).Scan(&articleID, &old)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if status == "" {
		_, err = tx.ExecContext(ctx, `DELETE FROM comments WHERE id = ?`, id)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE comments SET status = ? WHERE id = ?`, string(status), id)
	}
	if err != nil {
		return err
	}
	if (old == string(comment.Approved)) != (status == comment.Approved) {
		return logCommentsChange(ctx, tx, articleID)
	}
	return nil
}

// ModerateComments gives every listed comment a new status, or deletes them
// when status is empty, recording one audit entry per comment (entry, with
// its target filled in), all in one transaction: a missing comment undoes
// the whole batch and is ErrNotFound.
func (s *Store) ModerateComments(ctx context.Context, ids []int64, status comment.Status, entry audit.Entry) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if err := moderateComment(ctx, tx, id, status); err != nil {
				return fmt.Errorf("comment %d: %w", id, err)
			}
			e := entry
			e.Target = fmt.Sprintf("comment %d", id)
			if err := addAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: moderate comments: %w", err)
	}
	return nil
}
