package sim

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"raftlab/raft/sim/lex"
)

// Command is a client command for the key/value state machine every
// simulated server runs: "set KEY VALUE" or "del KEY".
type Command struct {
	Op    string // "set" or "del"
	Key   string
	Value string // empty for "del"
}

// KVMaxWord is the longest key or value, in bytes.
const KVMaxWord = 32

// String is the canonical text of c: "set k v" or "del k".
func (c Command) String() string {
	if c.Op == "del" {
		return "del " + c.Key
	}
	return c.Op + " " + c.Key + " " + c.Value
}

// ParseCommand parses "set KEY VALUE" or "del KEY". Words are separated by
// spaces or tabs; the operation is case-insensitive (the result's Op is
// lower case); keys and values are 1 to 32 characters of A-Z, a-z, 0-9,
// '_', '.' and '-'. Errors are *ParseError with no line, holding the
// *Refusal they say (a command typed into a page is worded in its
// reader's language).
func ParseCommand(s string) (Command, error) {
	c, r := parseCommand(s)
	if r != nil {
		return Command{}, &ParseError{Msg: r.Error(), Err: r}
	}
	return c, nil
}

func parseCommand(s string) (Command, *Refusal) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return Command{}, refuse("command-none")
	}
	got := func() string { return lex.Got(strings.Join(f, " ")) } // only when refused
	switch c := (Command{Op: strings.ToLower(f[0])}); c.Op {
	case "set":
		if len(f) != 3 {
			return Command{}, refuse("command-set", "got", got())
		}
		c.Key, c.Value = f[1], f[2]
		if r := kvCheckWord("key", c.Key); r != nil {
			return Command{}, r
		}
		return c, kvCheckWord("value", c.Value)
	case "del":
		if len(f) != 2 {
			return Command{}, refuse("command-del", "got", got())
		}
		c.Key = f[1]
		return c, kvCheckWord("key", c.Key)
	}
	return Command{}, refuse("command", "got", got())
}

// CheckKey returns an error when key is not a valid key: a *ParseError
// holding the *Refusal it says, as ParseCommand's.
func CheckKey(key string) error {
	r := kvCheckWord("key", key)
	if key == "" {
		r = refuse("key-none")
	}
	if r != nil {
		return &ParseError{Msg: r.Error(), Err: r}
	}
	return nil
}

// kvCheckWord refuses a key or a value (what) that is too long or holds a
// character other than a letter, a digit, '_', '.' and '-'.
func kvCheckWord(what, w string) *Refusal {
	if len(w) > KVMaxWord {
		return refuse(what+"-long", "word", lex.Quote(w), "n", strconv.Itoa(len(w)), "max", strconv.Itoa(KVMaxWord))
	}
	for i := 0; i < len(w); i++ {
		if !kvWordChar(w[i]) {
			_, size := utf8.DecodeRuneInString(w[i:])
			return refuse(what+"-char", "word", lex.Quote(w), "char", lex.Quote(w[i:i+size]))
		}
	}
	return nil
}

// said is r's English, or "" for no refusal: what the text readers (the
// action text, the scenario format) put in their own located errors.
func said(r *Refusal) string {
	if r == nil {
		return ""
	}
	return r.Error()
}

func kvWordChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '-'
}

// KVPair is one key and its value.
type KVPair struct {
	Key, Value string
}

// KV is the tiny key/value store a server applies committed commands to, so
// a learner can see each server's state. The zero value is an empty store.
// Every rendering of it lists the pairs sorted by key, so it is
// deterministic.
type KV struct {
	m map[string]string
	// sorted caches Pairs until the next change; it is never changed in
	// place, so copies may share it.
	sorted []KVPair
	// shared says a checkpoint shares m: the next change copies it first.
	shared bool
}

// Apply runs one committed command. Text that is not a valid command (a
// no-op entry's empty data, or anything else ParseCommand rejects) is
// ignored: the log may hold entries that are not client commands, and a
// state machine must apply every committed entry without failing.
func (kv *KV) Apply(cmd string) {
	c, r := parseCommand(cmd)
	if r != nil {
		return
	}
	if kv.shared || kv.m == nil {
		kv.m, kv.shared = maps.Clone(kv.m), false
		if kv.m == nil {
			kv.m = map[string]string{}
		}
	}
	if c.Op == "set" {
		kv.m[c.Key] = c.Value
	} else {
		delete(kv.m, c.Key)
	}
	kv.sorted = nil
}

// Get returns key's value and whether it is present.
func (kv KV) Get(key string) (string, bool) {
	v, ok := kv.m[key]
	return v, ok
}

// Len is the number of keys.
func (kv KV) Len() int { return len(kv.m) }

// Pairs returns a copy of every pair, sorted by key (byte order).
func (kv *KV) Pairs() []KVPair {
	if len(kv.m) == 0 {
		return nil
	}
	if kv.sorted == nil {
		kv.sorted = make([]KVPair, 0, len(kv.m))
		for k, v := range kv.m {
			kv.sorted = append(kv.sorted, KVPair{Key: k, Value: v})
		}
		slices.SortFunc(kv.sorted, func(a, b KVPair) int { return strings.Compare(a.Key, b.Key) })
	}
	return slices.Clone(kv.sorted)
}

// Clone returns an independent copy.
func (kv KV) Clone() KV { return KV{m: maps.Clone(kv.m), sorted: kv.sorted} }

// share returns a copy that shares kv's map until either changes.
func (kv *KV) share() KV {
	kv.shared = true
	return *kv
}

// Reset empties the store (a crashed server's state machine is volatile;
// it is rebuilt by applying the log again).
func (kv *KV) Reset() { *kv = KV{} }

// Snapshot is the store as a state machine image for raft.Node.Compact:
// one "set KEY VALUE" line per pair, sorted by key. Restore reads it back.
func (kv *KV) Snapshot() string {
	pairs := kv.Pairs()
	lines := make([]string, len(pairs))
	for i, p := range pairs {
		lines[i] = Command{Op: "set", Key: p.Key, Value: p.Value}.String()
	}
	return strings.Join(lines, "\n")
}

// Restore starts the store over from a snapshot's image (see Snapshot).
func (kv *KV) Restore(image string) {
	kv.Reset()
	for line := range strings.Lines(image) {
		kv.Apply(line)
	}
}
