package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
)

// Listings show counts (stories a year, a month, a day, a section, a tag,
// an author) that triggers keep in article_counts (migration 0013), so no
// page counts over the archive. The date counts group by the site-local
// day, which only Go can compute: the store writes each article's
// local_day in the zone kept in store_meta, and rewrites them all when the
// site's zone changes.

// queryer is what both *sql.DB and *sql.Tx can do.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// archiveZone is the zone local_day is written in; UTC until the site's
// zone is set.
func (s *Store) archiveZone(ctx context.Context, q queryer) (*time.Location, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT value FROM store_meta WHERE key = 'zone'`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return time.UTC, nil
	}
	if err != nil {
		return nil, err
	}
	if loc, ok := s.zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("archive zone %q: %w", name, err)
	}
	s.zones.Store(name, loc)
	return loc, nil
}

// localDay is the site-local date of an instant, as local_day holds it.
func localDay(loc *time.Location, t time.Time) string { return t.In(loc).Format("2006-01-02") }

// SetArchiveZone makes loc the zone of the date index. When it differs
// from the zone the database was indexed in, every article's local day is
// written anew (the only time the store touches every article: a change
// of the site's zone, or the first start after an upgrade).
func (s *Store) SetArchiveZone(ctx context.Context, loc *time.Location) error {
	return s.setArchiveZone(ctx, loc, true)
}

// EnsureArchiveZone sets the zone of the date index if the database has
// none yet (a new database filled from the command line).
func (s *Store) EnsureArchiveZone(ctx context.Context, loc *time.Location) error {
	return s.setArchiveZone(ctx, loc, false)
}

func (s *Store) setArchiveZone(ctx context.Context, loc *time.Location, replace bool) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var current string
		err := tx.QueryRowContext(ctx, `SELECT value FROM store_meta WHERE key = 'zone'`).Scan(&current)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case current == loc.String() || !replace:
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES ('zone', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, loc.String()); err != nil {
			return err
		}
		type row struct {
			id  int64
			day string
		}
		var rows []row
		list, err := tx.QueryContext(ctx, `SELECT id, published_at, local_day FROM articles`)
		if err != nil {
			return err
		}
		for list.Next() {
			var id int64
			var at time.Time
			var day string
			if err := list.Scan(&id, &at, &day); err != nil {
				list.Close()
				return err
			}
			if d := localDay(loc, at); d != day {
				rows = append(rows, row{id, d})
			}
		}
		list.Close()
		if err := list.Err(); err != nil {
			return err
		}
		update, err := tx.PrepareContext(ctx, `UPDATE articles SET local_day = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		for _, r := range rows {
			if _, err := update.ExecContext(ctx, r.day, r.id); err != nil {
				return err
			}
		}
		return logChange(ctx, tx, Change{Kind: SiteChange})
	})
	if err != nil {
		return fmt.Errorf("store: archive zone %s: %w", loc, err)
	}
	return nil
}

// KeyCount is a count of the date index: Key is "2024", "2024-06" or
// "2024-06-20".
type KeyCount struct {
	Key string
	N   int
}

// Years counts the stories readers may see at now, by site-local year,
// oldest first.
func (s *Store) Years(ctx context.Context, now time.Time) ([]KeyCount, error) {
	return s.dateCounts(ctx, "Y", now)
}

// Months counts the visible stories of each month of a year ("2024").
func (s *Store) Months(ctx context.Context, year string, now time.Time) ([]KeyCount, error) {
	return s.dateCounts(ctx, "M"+year+"-", now)
}

// Days counts the visible stories of each day of a month ("2024-06").
func (s *Store) Days(ctx context.Context, month string, now time.Time) ([]KeyCount, error) {
	return s.dateCounts(ctx, "D"+month+"-", now)
}

// PeriodCount counts the visible stories of one year, month or day
// ("2024", "2024-06", "2024-06-20").
func (s *Store) PeriodCount(ctx context.Context, period string, now time.Time) (int, error) {
	kind := map[int]string{4: "Y", 7: "M", 10: "D"}[len(period)]
	if kind == "" {
		return 0, fmt.Errorf("store: period %q: %w", period, ErrNotFound)
	}
	list, err := s.keyCounts(ctx, kind+period, kind+period+"\x00", now)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	return list[0].N, nil
}

func (s *Store) dateCounts(ctx context.Context, prefix string, now time.Time) ([]KeyCount, error) {
	list, err := s.keyCounts(ctx, prefix, prefixEnd(prefix), now)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Key = list[i].Key[1:]
	}
	return list, nil
}

// prefixEnd is the first key after every key that starts with prefix.
func prefixEnd(prefix string) string { return prefix + "\U0010FFFF" }

// keyCounts reads the counts with keys in [from, to), less the scheduled
// articles that readers may not see yet, leaving out those at zero, in
// key order.
func (s *Store) keyCounts(ctx context.Context, from, to string, now time.Time) ([]KeyCount, error) {
	const q = `SELECT key, n FROM article_counts WHERE key >= ? AND key < ? AND n > 0 ORDER BY key`
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // counts and the scheduled from one snapshot
	if err != nil {
		return nil, fmt.Errorf("store: counts: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, q, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: counts: %w", err)
	}
	var list []KeyCount
	for rows.Next() {
		var kc KeyCount
		if err := rows.Scan(&kc.Key, &kc.N); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: counts: %w", err)
		}
		list = append(list, kc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: counts: %w", err)
	}
	early, err := scheduledKeys(ctx, tx, now)
	if err != nil {
		return nil, fmt.Errorf("store: counts: %w", err)
	}
	out := list[:0]
	for _, kc := range list {
		kc.N -= early[kc.Key]
		if kc.N > 0 {
			out = append(out, kc)
		}
	}
	return out, nil
}

// scheduledKeys counts, by count key, the articles that are counted but
// not out yet at now. Scheduled articles are few, and the query reads
// them through the (status, published_at) index.
func scheduledKeys(ctx context.Context, q queryer, now time.Time) (map[string]int, error) {
	const scheduledSQL = `SELECT a.id, a.local_day, a.section, a.author,
			coalesce((SELECT group_concat(t.tag, char(31)) FROM article_tags t WHERE t.article_id = a.id), '')
		FROM articles a WHERE a.status = ` + publishedSQL + ` AND a.published_at > ? AND a.trashed_at IS NULL`
	rows, err := q.QueryContext(ctx, scheduledSQL, now.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[string]int{}
	for rows.Next() {
		var id int64
		var day, section, author, tags string
		if err := rows.Scan(&id, &day, &section, &author, &tags); err != nil {
			return nil, err
		}
		if len(day) == 10 {
			keys["Y"+day[:4]]++
			keys["M"+day[:7]]++
			keys["D"+day]++
		}
		if section != "" {
			keys["S"+section]++
		}
		if author != "" {
			keys["A"+author]++
		}
		if tags != "" {
			for _, t := range strings.Split(tags, "\x1f") {
				keys["T"+t]++
			}
		}
	}
	return keys, rows.Err()
}

// groupingKeys are the count key letters of sections, tags and authors.
var groupingKeys = map[article.Grouping]string{article.BySection: "S", article.ByTag: "T", article.ByAuthor: "A"}

// Names lists the distinct sections, tags or authors of the articles
// visible at now, each with its count, by name.
func (s *Store) Names(ctx context.Context, kind article.Grouping, now time.Time) ([]NameCount, error) {
	letter, ok := groupingKeys[kind]
	if !ok {
		panic(fmt.Sprintf("store: names of %q", kind)) // a programming error: the groupings are article's
	}
	list, err := s.keyCounts(ctx, letter, prefixEnd(letter), now)
	if err != nil {
		return nil, fmt.Errorf("store: %s names: %w", kind, err)
	}
	out := make([]NameCount, 0, len(list))
	for _, kc := range list {
		out = append(out, NameCount{Name: kc.Key[1:], Count: kc.N})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// NameCount is a section, tag or author with its number of articles.
type NameCount struct {
	Name  string
	Count int
}
