package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// Reader queries run through statements prepared once per SQL text and
// kept: modernc's driver parses SQL anew for every unprepared query, which
// was 38% of the CPU of a loaded article page. database/sql prepares a
// kept statement on each pooled connection the first time that
// connection runs it. The texts are constants or built from a few
// options, so the set stays small.

// readStatement returns the kept statement for q on the reader pool.
func (s *Store) readStatement(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// query runs a reader query through its kept statement.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.readStatement(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a one-row reader query through its kept statement.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) scanner {
	st, err := s.readStatement(ctx, q)
	if err != nil {
		return errScanner{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// errScanner is a row that failed before it was read.
type errScanner struct{ err error }

func (e errScanner) Scan(...any) error { return e.err }

// QueryPlans returns SQLite's plan (EXPLAIN QUERY PLAN, one line per
// step) of every reader statement this store has prepared so far and of
// the writer's statements for reader comments, by SQL text: a test drives
// every public page and then checks that none scans a whole table or
// sorts a listing in a temporary b-tree.
func (s *Store) QueryPlans(ctx context.Context) (map[string][]string, error) {
	plans := map[string][]string{}
	var err error
	explain := func(q, _ any) bool {
		var rows *sql.Rows
		// Parameters bound to NULL change values, not plans.
		rows, err = s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.(string), make([]any, parameters(q.(string)))...)
		if err != nil {
			return false
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err = rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return false
			}
			plans[q.(string)] = append(plans[q.(string)], detail)
		}
		err = rows.Err()
		return err == nil
	}
	s.stmts.Range(explain)
	if err == nil {
		s.wstmts.Range(explain)
	}
	if err != nil {
		return nil, fmt.Errorf("store: query plans: %w", err)
	}
	return plans, nil
}

// parameters counts the parameters of a statement: its "?", or the
// highest "?N".
func parameters(q string) int {
	bare, numbered := 0, 0
	for i := 0; i < len(q); i++ {
		if q[i] != '?' {
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		if j == i+1 {
			bare++
		} else if n, _ := strconv.Atoi(q[i+1 : j]); n > numbered {
			numbered = n
		}
	}
	return max(bare, numbered)
}

// writerStatements are the statements of the busiest writes (a reader's
// comment), prepared on the writer when the store opens. They cannot be
// prepared later: a transaction holds the writer's one connection.
var writerStatements = []string{floodSQL, dupSQL, insertCommentSQL}

// prepareWriter prepares writerStatements.
func (s *Store) prepareWriter(ctx context.Context) error {
	for _, q := range writerStatements {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare: %w", err)
		}
		s.wstmts.Store(q, st)
	}
	return nil
}

// txStatement returns the kept writer statement for q bound to tx, or one
// prepared for tx alone when q is not kept.
func (s *Store) txStatement(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	if st, ok := s.wstmts.Load(q); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt)), nil
	}
	return tx.PrepareContext(ctx, q)
}
