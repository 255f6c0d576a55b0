package sim

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/words"
)

const leaderOfThree = `nodes: 5
voters: S1 S2 S3
timers: frozen
latency: 10
setup:
  timeout S1; flush; timeout S1; flush`

// refusalCases meets every refusal a learner can: a scenario, the actions
// before (which run), the action refused, and its English.
var refusalCases = []struct {
	key, scenario, before, action, english string
}{
	{"no-message", "nodes: 3\ntimers: frozen", "", "deliver 99", "no such message in flight"},
	{"crashed", "nodes: 3\ntimers: frozen", "crash S2", "timeout S2", "S2 is crashed; restart it first"},
	{"nothing-to-do", "nodes: 3\ntimers: frozen", "", "next", "nothing to do: no message is in flight and the timers are frozen"},
	{"nothing-to-compact", "nodes: 3\ntimers: frozen", "", "compact S1",
		"S1 has applied nothing beyond its snapshot through index 0: nothing to compact"},
	{"lose-tail", "nodes: 3\ntimers: frozen", "crash S1", "restart S1 lose-tail 3", "S1 has 0 entries on disk; cannot lose 3"},
	{"self-transfer", leaderOfThree, "", "transfer S1 S1", "S1 cannot hand leadership to itself"},
	{"already-member", leaderOfThree, "", "add-server S1 S2", "S2 is already in S1's configuration"},
	{"not-member", leaderOfThree, "", "remove-server S1 S4", "S4 is not in S1's configuration"},
	{"last-voter", "nodes: 3\nvoters: S1\ntimers: frozen\nsetup:\n  timeout S1; flush", "", "remove-server S1 S1",
		"S1 is the only voter of S1's configuration, which needs at least one"},
	// Joint consensus: S4 and S5 catch up as learners, S1 appends
	// C_old,new, which cannot commit while S2 and S3 are cut off.
	{"change-pending", leaderOfThree + "\nmembership: joint",
		"change-voters S1 S1 S4 S5; deliver S1>S2; deliver S1>S3; deliver S1>S4; deliver S1>S5; " +
			"deliver S2>S1; deliver S3>S1; deliver S4>S1; deliver S5>S1; deliver S1>S4; deliver S1>S5; " +
			"cut S1 S2; cut S1 S3; deliver S4>S1; deliver S5>S1; deliver S1>S4; deliver S1>S5; deliver S4>S1; deliver S5>S1",
		"remove-server S1 S4",
		"S1 is in a joint configuration: it takes no other change until the new configuration is in place"},
	{"run-too-long", "", "", "", "the run is longer than 10000 actions, even merged (sim.MaxRunActions), so it can no longer be written out; it plays on"},
	// Commands and keys typed into a page's boxes (refusedCommands).
	{"command-none", "", "", "", `expected a command "set KEY VALUE" or "del KEY", got nothing`},
	{"command", "", "", "", `expected a command "set KEY VALUE" or "del KEY", got "put x 1"`},
	{"command-set", "", "", "", `expected "set KEY VALUE", got "set x"`},
	{"command-del", "", "", "", `expected "del KEY", got "del x y"`},
	{"key-none", "", "", "", "expected a key, got nothing"},
	{"key-long", "", "", "", `the key "` + strings.Repeat("k", 33) + `" is 33 characters long; the limit is 32`},
	{"value-long", "", "", "", `the value "` + strings.Repeat("v", 33) + `" is 33 characters long; the limit is 32`},
	{"key-char", "", "", "", `the key "x!" contains "!"; use only letters, digits, '_', '.' and '-'`},
	{"value-char", "", "", "", `the value "é" contains "é"; use only letters, digits, '_', '.' and '-'`},
}

// The commands a page takes from a box, refused by ParseCommand (or
// CheckKey) with the key of the case.
var refusedCommands = map[string]string{
	"command-none": "  ",
	"command":      "put x 1",
	"command-set":  "set x",
	"command-del":  "del x y",
	"key-none":     "",
	"key-long":     "set " + strings.Repeat("k", 33) + " 1",
	"value-long":   "set k " + strings.Repeat("v", 33),
	"key-char":     "set x! 1",
	"value-char":   "set x é",
}

// refusalOf runs a case and returns the error that refused it.
func refusalOf(t *testing.T, key, scenario, before, action string) error {
	t.Helper()
	if text, ok := refusedCommands[key]; ok {
		if key == "key-none" {
			return CheckKey(text)
		}
		_, err := ParseCommand(text)
		return err
	}
	if key == "run-too-long" {
		// Actions that never merge, past MaxRunActions once the history
		// has folded them into the run.
		c, err := New(DefaultScenario())
		require.NoError(t, err)
		for i := 0; i < MaxRunActions+MaxHistory+2*CheckpointEvery; i++ {
			require.NoError(t, c.Do(Action{Op: []Op{OpFreeze, OpUnfreeze}[i%2]}))
		}
		_, err = c.Run()
		return err
	}
	c, err := NewFromText("", 1, scenario)
	require.NoError(t, err)
	if before != "" {
		as, err := ParseActions(before)
		require.NoError(t, err)
		require.NoError(t, c.DoAll(as), "the actions before")
	}
	as, err := ParseActions(action)
	require.NoError(t, err)
	require.Len(t, as, 1)
	events := c.EventCount()
	err = c.Do(as[0])
	assert.Equal(t, events, c.EventCount(), "a refused action changes nothing")
	return err
}

// Every refusal a learner can meet is a *Refusal whose English is the
// error's message and which the Japanese table words with the same
// values; every refusal key of the English table is met here.
func TestRefusalsAreWordedInEveryLanguage(t *testing.T) {
	ja := WordsFor("ja")
	met := map[string]bool{}
	for _, c := range refusalCases {
		t.Run(c.key, func(t *testing.T) {
			err := refusalOf(t, c.key, c.scenario, c.before, c.action)
			var r *Refusal
			require.ErrorAs(t, err, &r)
			assert.Equal(t, c.key, r.Key)
			english := c.english
			assert.Equal(t, english, English.Refusal(r))
			assert.Contains(t, err.Error(), english)

			said := ja.Refusal(r)
			assert.NotEqual(t, english, said)
			assert.NotContains(t, said, "{", "every placeholder filled")
			assert.Regexp(t, `[\p{Hiragana}\p{Katakana}\p{Han}]`, said)
			for k := 1; k < len(r.KV); k += 2 {
				assert.Contains(t, said, r.KV[k], "the Japanese keeps the value of {%s}", r.KV[k-1])
			}
			got, s, message := ja.Refused(err)
			assert.Same(t, r, got)
			assert.Equal(t, said, s)
			assert.Equal(t, said, message)
			met[c.key] = true
		})
	}
	for _, k := range words.English.Keys() {
		if name, ok := strings.CutPrefix(k, "refusal."); ok && name != "action" && !met[name] {
			t.Errorf("the refusal %q is never met in this test", name)
		}
	}
}

// A refusal in a list of actions says the action's place in the list, as
// the English error does; a scenario's setup says it is the setup's.
func TestRefusedActionOfAList(t *testing.T) {
	ja := WordsFor("ja")
	c, err := NewFromText("", 1, "nodes: 3\ntimers: frozen")
	require.NoError(t, err)
	as, err := ParseActions("crash S2; timeout S2")
	require.NoError(t, err)
	err = c.DoAll(as)
	require.EqualError(t, err, "action 2 (timeout S2): S2 is crashed; restart it first")
	r, said, message := ja.Refused(err)
	require.NotNil(t, r)
	assert.Equal(t, "S2 はクラッシュしています。先に再起動してください", said)
	assert.Equal(t, "操作 2（timeout S2）："+said, message)
	assert.Equal(t, message, ja.ErrorText(err))
	assert.Equal(t, err.Error(), English.ErrorText(err))

	// A scenario's setup that cannot run is its author's mistake.
	_, err = NewFromText("", 1, "nodes: 3\ntimers: frozen\nsetup:\n  crash S2; timeout S2")
	require.Error(t, err)
	r, _, _ = ja.Refused(err)
	assert.Nil(t, r)
	err = (&ActionError{N: 2, Action: as[1], Err: refuse("crashed", "id", "S2"), Setup: true})
	r, _, _ = ja.Refused(err)
	assert.Nil(t, r)
	assert.Equal(t, "setup action 2 (timeout S2): S2 is crashed; restart it first", ja.ErrorText(err))
}

// A program's mistake is not a refusal: it stays English in every
// language.
func TestMistakesAreNotRefusals(t *testing.T) {
	ja := WordsFor("ja")
	c, err := NewFromText("", 1, "nodes: 3\ntimers: frozen")
	require.NoError(t, err)
	for _, a := range []Action{
		{Op: OpTimeout, Node: 7},
		{Op: OpAdvance, Millis: MaxAdvance + 1},
		{Op: OpLatency, LatencyMin: 20, LatencyMax: 10},
	} {
		err := c.Do(a)
		require.Error(t, err)
		r, said, message := ja.Refused(err)
		assert.Nil(t, r)
		assert.Empty(t, said+message)
		assert.Equal(t, err.Error(), ja.ErrorText(err))
		assert.False(t, errors.As(err, &r))
	}
}

// Every key the code refuses with (refuse("KEY", ...), or what+"-KEY"
// for a key or a value) is in the English table, and so in every one.
func TestRefusalKeysExist(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`refuse\((what\+)?"([a-z-]+)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			keys := []string{"refusal." + m[2]}
			if m[1] != "" {
				keys = []string{"refusal.key" + m[2], "refusal.value" + m[2]}
			}
			for _, k := range keys {
				n++
				assert.True(t, words.English.Has(k), "%s: %s", f, k)
			}
		}
	}
	assert.Greater(t, n, 15, "the refusals found in the source")
}
