package store

import (
	"context"
	"database/sql"
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
