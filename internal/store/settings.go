package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/settings"
)

// SiteSettings returns the saved settings over the given defaults.
func (s *Store) SiteSettings(ctx context.Context, defaults settings.Settings) (settings.Settings, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return defaults, fmt.Errorf("store: settings: %w", err)
	}
	defer rows.Close()
	out := defaults
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return defaults, fmt.Errorf("store: settings: %w", err)
		}
		switch key {
		case "name":
			out.Name = value
		case "tagline":
			out.Tagline = value
		case "zone":
			out.ZoneName = value
		case "zone_label":
			out.ZoneLabel = value
		case "comments":
			out.Comments = settings.CommentPolicy(value)
		case "close_after_days":
			out.CloseAfterDays, _ = strconv.Atoi(value)
		case "page_size":
			out.PageSize, _ = strconv.Atoi(value)
		}
	}
	return out, rows.Err()
}

// SaveSiteSettings stores every setting, with the audit entry e.
func (s *Store) SaveSiteSettings(ctx context.Context, set settings.Settings, e audit.Entry) error {
	values := map[string]string{
		"name": set.Name, "tagline": set.Tagline, "zone": set.ZoneName, "zone_label": set.ZoneLabel,
		"comments": string(set.Comments), "close_after_days": strconv.Itoa(set.CloseAfterDays), "page_size": strconv.Itoa(set.PageSize),
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		for k, v := range values {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		if err := addAudit(ctx, tx, e); err != nil {
			return err
		}
		return logChange(ctx, tx, Change{Kind: SiteChange})
	})
	if err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	return nil
}
