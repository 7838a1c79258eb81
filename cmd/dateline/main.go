// Command dateline runs the Dateline news site and its command-line tools:
// serve (the default), import, and comments. Each subcommand parses its
// flags and then makes a few calls into the same store and domain packages
// that the web server uses.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/dateline/dateline/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env is where a command talks to the world; tests give it buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

const usage = `Dateline is a self-hosted news website.

Usage:
  dateline [serve] [flags]              serve the site (the default)
  dateline import [flags] DIR           import Markdown articles from DIR (idempotent by slug)
  dateline comments list [flags]        list comments: id, status, article, name, text
  dateline comments approve|reject|spam [flags] ID...
                                        change the moderation status of comments
  dateline user add --username NAME --role admin|editor [--name "Display Name"]
                                        add a newsroom user; the password is read from standard input
  dateline user passwd NAME             change a password (read from standard input); ends their sessions
  dateline user list                    list users: id, username, role, state, display name
  dateline backup [flags] FILE          write a consistent copy of the live database to FILE
  dateline demo-data --articles N --comments M --db FILE
                                        fill an empty database with a generated site, for measuring
  dateline help                         show this help

Run "dateline COMMAND --help" for the flags of a command. Every flag can also
be set with the environment variable named beside it.
`

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	cmd := "serve"
	switch {
	case len(args) > 0 && (args[0] == "--help" || args[0] == "-help" || args[0] == "-h"):
		cmd, args = "help", nil
	case len(args) > 0 && (args[0] == "" || args[0][0] != '-'):
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = runServe(ctx, e, args)
	case "import":
		err = runImport(ctx, e, args)
	case "comments":
		err = runComments(ctx, e, args)
	case "user":
		err = runUser(ctx, e, args)
	case "backup":
		err = runBackup(ctx, e, args)
	case "demo-data":
		err = runDemo(ctx, e, args)
	case "help":
		printHelp(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "dateline: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "dateline:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "dateline:", err)
		return 1
	}
}

// errUsage marks mistakes in how a command was called, and input that a
// command refuses.
var errUsage = errors.New("usage")

// printHelp lists the commands and every flag of each.
func printHelp(w io.Writer) {
	noEnv := func(string) string { return "" }
	fmt.Fprint(w, usage)
	for _, fs := range []*flag.FlagSet{
		serveFlags(&serveConfig{}, noEnv),
		importFlags(&siteConfig{}, noEnv),
		commentsFlags(&commentsConfig{}, noEnv),
		userFlags(&userConfig{}, noEnv),
		backupFlags(new(string), noEnv),
		demoFlags(&demoConfig{}, noEnv),
	} {
		fmt.Fprintf(w, "\nFlags of %s:\n", fs.Name())
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// openExisting opens the database of a command that looks after a site
// (comments, users, backup): it must be there already, so that a mistyped
// --db is an error, not a new empty site. Only serve, import and
// demo-data make one. from says how the path was given.
func openExisting(ctx context.Context, path string, from source) (*store.Store, error) {
	st, err := store.OpenExisting(ctx, path)
	if errors.Is(err, store.ErrNoDatabase) {
		return nil, fmt.Errorf("%w (start the site once with dateline serve, or give the right %s)", err, from.name("db", "DATELINE_DB"))
	}
	return st, err
}
