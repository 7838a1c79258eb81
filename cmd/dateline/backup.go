package main

import (
	"context"
	"flag"
	"fmt"
)

func backupFlags(db *string, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	defineDB(fs, db, getenv)
	return fs
}

// runBackup writes a consistent copy of the database, while the server
// may keep serving from it.
func runBackup(ctx context.Context, e env, args []string) error {
	var db string
	fs := backupFlags(&db, e.getenv)
	fs.SetOutput(e.stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: backup needs one file to write, as in: dateline backup backup.db", errUsage)
	}
	st, err := openExisting(ctx, db, newSource(fs, args, e.getenv))
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", db, fs.Arg(0))
	return nil
}
