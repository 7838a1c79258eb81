package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
)

// runComments lists comments or changes their moderation status. It opens
// the same database file as a running server; SQLite's WAL and the busy
// timeout let both work at once.
func runComments(ctx context.Context, e env, args []string) error {
	action, cfg, ids, err := parseCommentsConfig(args, e.getenv, e.stderr)
	if err != nil {
		return err
	}
	var target comment.Status
	switch action {
	case "list":
		if len(ids) > 0 {
			return fmt.Errorf("%w: comments list takes no ids", errUsage)
		}
	case "approve":
		target = comment.Approved
	case "reject":
		target = comment.Rejected
	case "spam":
		target = comment.Spam
	default:
		return fmt.Errorf("%w: unknown comments action %q: use list, approve, reject or spam", errUsage, action)
	}
	if target != "" && len(ids) == 0 {
		return fmt.Errorf("%w: comments %s needs at least one comment id", errUsage, action)
	}
	parsed := make([]int64, 0, len(ids))
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%w: %q is not a comment id", errUsage, s)
		}
		parsed = append(parsed, id)
	}

	st, err := openExisting(ctx, cfg.DB, cfg.from)
	if err != nil {
		return err
	}
	defer st.Close()

	if action == "list" {
		list, err := st.Comments(ctx, comment.Status(cfg.Status), cfg.Limit, 0)
		if err != nil {
			return err
		}
		for _, c := range list {
			fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", c.ID, c.Status, c.ArticleSlug, oneLine(c.Name), comment.Cut(oneLine(c.Body), 60))
		}
		return nil
	}
	// All or none, each recorded in the audit log as the newsroom's are.
	entry := audit.Entry{At: time.Now(), Username: "command line", Action: audit.CommentStatus, Detail: string(target)}
	if err := st.ModerateComments(ctx, parsed, target, entry); err != nil {
		return err
	}
	for _, id := range parsed {
		fmt.Fprintf(e.stdout, "%d\t%s\n", id, target)
	}
	return nil
}

// oneLine flattens text for tab-separated output.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
