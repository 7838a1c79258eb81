package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pw string
		ok bool
	}{
		{"correct horse battery", true},
		{"ten chars!", true},
		{"nine char", false},
		{"", false},
		{strings.Repeat("é", 10), true},
		{strings.Repeat("a", 257), false},
		{"Password123", false}, // common, at any capitalisation
		{"qwertyuiop", false},
		{"1234567890", false},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6", false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%.20q", tc.pw), func(t *testing.T) {
			err := CheckPassword(tc.pw)
			if (err == nil) != tc.ok {
				t.Errorf("got %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrWeakPassword) {
				t.Errorf("error %v does not wrap ErrWeakPassword", err)
			}
		})
	}
	if len(commonPasswords) < 50 {
		t.Errorf("common password list has %d entries, want at least 50", len(commonPasswords))
	}
}

func TestHashAndVerify(t *testing.T) {
	t.Parallel()
	h := NewHasher(2)
	ctx := context.Background()
	phc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry OWASP's minimum parameters", phc)
	}
	again, _ := h.Hash(ctx, "correct horse battery")
	if again == phc {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		ok, err := h.Verify(ctx, phc, pw)
		if err != nil || ok != want {
			t.Errorf("Verify(%q): got %v, %v; want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=x$c2FsdA$a2V5", "$argon2id$v=19$m=8,t=1,p=1$!!$a2V5"} {
		if _, err := h.Verify(ctx, bad, "pw"); err == nil {
			t.Errorf("Verify accepted malformed hash %q", bad)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	full := NewHasher(1)
	full.slots <- struct{}{} // every slot taken
	if _, err := full.Hash(cancelled, "whatever it is"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hash with no free slot and a cancelled context: got %v, want context.Canceled", err)
	}
}

func TestUsernamesRolesTokens(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"maya": true, "maya.b-a_1": true, "m": false, "Maya": false, "1maya": false, "ma ya": false, strings.Repeat("a", 41): false} {
		if validUsername(s) != want {
			t.Errorf("validUsername(%q) = %v, want %v", s, !want, want)
		}
	}
	if r, ok := ParseRole("admin"); !ok || r != Admin {
		t.Error("ParseRole(admin) failed")
	}
	if _, ok := ParseRole("root"); ok {
		t.Error("ParseRole accepted root")
	}
	a, ha := NewToken()
	b, _ := NewToken()
	if len(a) < 43 || a == b || string(ha) != string(TokenHash(a)) || len(ha) != 32 {
		t.Errorf("tokens: %q %q", a, b)
	}
}
