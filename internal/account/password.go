package account

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length limits, in characters.
const (
	MinPassword = 10
	MaxPassword = 256
)

// ErrWeakPassword is what every *WeakPasswordError is.
var ErrWeakPassword = errors.New("account: password not accepted")

// WeakPasswordError says why CheckPassword refused a password, in words fit
// for the form.
type WeakPasswordError struct{ Reason string }

func (e *WeakPasswordError) Error() string        { return "account: password not accepted: " + e.Reason }
func (e *WeakPasswordError) Is(target error) bool { return target == ErrWeakPassword }

//go:embed common-passwords.txt
var commonPasswordList string

// commonPasswords is read once from the embedded list; it is never changed.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// CheckPassword applies the password rules: 10 to 256 characters, and not
// one of the most common passwords. It says what is wrong in words fit for
// the form.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return &WeakPasswordError{"it is not valid text"}
	case n < MinPassword:
		return &WeakPasswordError{fmt.Sprintf("use at least %d characters", MinPassword)}
	case n > MaxPassword:
		return &WeakPasswordError{fmt.Sprintf("use at most %d characters", MaxPassword)}
	case commonPasswords[strings.ToLower(pw)]:
		return &WeakPasswordError{"it is one of the most common passwords; choose another"}
	}
	return nil
}

// Hasher hashes and verifies passwords with argon2id. Each hash holds 19 MiB
// while it runs, so Hasher lets only a few run at once: a flood of logins
// waits instead of exhausting memory and CPU.
type Hasher struct {
	slots chan struct{}
}

// NewHasher allows at most concurrent hashes at a time.
func NewHasher(concurrent int) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(concurrent, 1))}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC string of a password:
// $argon2id$v=19$m=19456,t=2,p=1$salt$hash.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether pw matches the PHC string, using the parameters
// stored in it, so that hashes made with older parameters keep working.
func (h *Hasher) Verify(ctx context.Context, phc, pw string) (bool, error) {
	var version int
	var memory, passes uint32
	var threads uint8
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("account: not an argon2id hash")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("account: unknown argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, fmt.Errorf("account: argon2 parameters: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("account: argon2 salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("account: argon2 key: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(pw), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
