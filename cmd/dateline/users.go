package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/store"
)

// userConfig is the configuration of "dateline user".
type userConfig struct {
	DB       string
	Username string
	Role     string
	Name     string
}

func userFlags(c *userConfig, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	defineDB(fs, &c.DB, getenv)
	fs.StringVar(&c.Username, "username", "", "the new user's `name` for signing in (user add)")
	fs.StringVar(&c.Role, "role", string(account.Editor), "`role` of the new user: admin or editor (user add)")
	fs.StringVar(&c.Name, "name", "", "display `name`, shown as author (user add)")
	return fs
}

// runUser adds users, changes passwords and lists users. Passwords are read
// from standard input, one line, so that they stay out of shell history and
// process lists. The arguments are checked before the database is opened.
func runUser(ctx context.Context, e env, args []string) error {
	var cfg userConfig
	fs := userFlags(&cfg, e.getenv)
	fs.SetOutput(e.stderr)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return fmt.Errorf("%w: user needs an action: add, passwd or list", errUsage)
	}
	action, args := args[0], args[1:]
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var run func(context.Context, env, *store.Store) error
	switch action {
	case "add":
		if fs.NArg() > 0 {
			return fmt.Errorf("%w: user add takes flags only, as in: dateline user add --username maya --role editor", errUsage)
		}
		u, errs := account.NewUser(cfg.Username, cfg.Name, cfg.Role)
		for _, field := range []string{"username", "name", "role"} { // the rules are the newsroom form's
			if msg := errs[field]; msg != "" {
				return fmt.Errorf("%w: --%s %q: %s", errUsage, field, map[string]string{"username": cfg.Username, "name": cfg.Name, "role": cfg.Role}[field], msg)
			}
		}
		run = func(ctx context.Context, e env, st *store.Store) error { return addUser(ctx, e, st, u) }
	case "passwd":
		if fs.NArg() != 1 {
			return fmt.Errorf("%w: user passwd needs one username", errUsage)
		}
		run = func(ctx context.Context, e env, st *store.Store) error { return changePassword(ctx, e, st, fs.Arg(0)) }
	case "list":
		run = listUsers
	default:
		return fmt.Errorf("%w: unknown user action %q: use add, passwd or list", errUsage, action)
	}
	st, err := openExisting(ctx, cfg.DB, newSource(fs, args, e.getenv))
	if err != nil {
		return err
	}
	defer st.Close()
	return run(ctx, e, st)
}

// addUser adds u with the password read from standard input.
func addUser(ctx context.Context, e env, st *store.Store, u account.User) error {
	phc, err := readPassword(ctx, e, account.NewHasher(1))
	if err != nil {
		return err
	}
	u.PasswordHash, u.CreatedAt = phc, time.Now()
	id, err := st.AddUser(ctx, u,
		audit.Entry{At: u.CreatedAt, Username: "command line", Action: audit.UserAdd, Target: "user " + u.Username, Detail: string(u.Role)})
	if errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("user %q exists already", u.Username)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added %s (%s), id %d\n", u.Username, u.Role, id)
	return nil
}

// changePassword gives a user the password read from standard input and
// ends their sessions.
func changePassword(ctx context.Context, e env, st *store.Store, username string) error {
	u, err := st.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	phc, err := readPassword(ctx, e, account.NewHasher(1))
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, u.ID, phc, audit.Entry{At: time.Now(), Username: "command line", Action: audit.UserPassword, Target: "user " + u.Username}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password of %s changed; their sessions have ended\n", u.Username)
	return nil
}

// listUsers prints one user a line: id, username, role, state, name.
func listUsers(ctx context.Context, e env, st *store.Store) error {
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.Role, state, u.Name)
	}
	return nil
}

// readPassword reads one line from standard input, checks it against the
// password rules and hashes it.
func readPassword(ctx context.Context, e env, hasher *account.Hasher) (string, error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("%w: give the password on standard input, one line", errUsage)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := account.CheckPassword(pw); err != nil {
		return "", err
	}
	return hasher.Hash(ctx, pw)
}
