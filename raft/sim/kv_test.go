package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCommand(t *testing.T) {
	long := strings.Repeat("k", KVMaxWord)
	tests := []struct {
		in   string
		want Command
		str  string
	}{
		{"set x 3", Command{Op: "set", Key: "x", Value: "3"}, "set x 3"},
		{"  SET   my_key.v-1\tval.2 ", Command{Op: "set", Key: "my_key.v-1", Value: "val.2"}, "set my_key.v-1 val.2"},
		{"del x", Command{Op: "del", Key: "x"}, "del x"},
		{"Del Y", Command{Op: "del", Key: "Y"}, "del Y"},
		{"set " + long + " " + long, Command{Op: "set", Key: long, Value: long}, "set " + long + " " + long},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCommand(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.str, got.String())
		})
	}
}

func TestParseCommandErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `expected a command "set KEY VALUE" or "del KEY", got nothing`},
		{"put x 1", `expected a command "set KEY VALUE" or "del KEY", got "put x 1"`},
		{"set x", `expected "set KEY VALUE", got "set x"`},
		{"set x 1 2", `expected "set KEY VALUE", got "set x 1 2"`},
		{"del", `expected "del KEY", got "del"`},
		{"del x y", `expected "del KEY", got "del x y"`},
		{"set x! 1", `the key "x!" contains "!"; use only letters, digits, '_', '.' and '-'`},
		{"set x é", `the value "é" contains "é"; use only letters, digits, '_', '.' and '-'`},
		{"set " + strings.Repeat("k", 33) + " 1", `the key "` + strings.Repeat("k", 33) + `" is 33 characters long; the limit is 32`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseCommand(tt.in)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.want, pe.Msg)
			assert.Zero(t, pe.Line)
		})
	}
}

func TestKVApply(t *testing.T) {
	tests := []struct {
		name string
		cmds []string
		want []KVPair
	}{
		{"empty", nil, nil},
		{"set", []string{"set x 1"}, []KVPair{{"x", "1"}}},
		{"sorted", []string{"set b 2", "set c 3", "set a 1"}, []KVPair{{"a", "1"}, {"b", "2"}, {"c", "3"}}},
		{"overwrite", []string{"set x 1", "set x 2"}, []KVPair{{"x", "2"}}},
		{"delete", []string{"set x 1", "set y 2", "del x"}, []KVPair{{"y", "2"}}},
		{"delete last", []string{"set x 1", "del x"}, nil},
		{"delete absent", []string{"set x 1", "del y"}, []KVPair{{"x", "1"}}},
		{"invalid ignored", []string{"set x 1", "", "noop", "set y", "del", "set x! 2"}, []KVPair{{"x", "1"}}},
		{"byte order", []string{"set b 1", "set B 2", "set a_ 3", "set a 4"}, []KVPair{{"B", "2"}, {"a", "4"}, {"a_", "3"}, {"b", "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kv KV
			for _, c := range tt.cmds {
				kv.Apply(c)
			}
			assert.Equal(t, tt.want, kv.Pairs())
			assert.Equal(t, len(tt.want), kv.Len())
			for _, p := range tt.want {
				v, ok := kv.Get(p.Key)
				assert.True(t, ok, p.Key)
				assert.Equal(t, p.Value, v)
			}
			_, ok := kv.Get("absent")
			assert.False(t, ok)
		})
	}
}

func TestKVCloneResetPairsCopy(t *testing.T) {
	var kv KV
	kv.Apply("set x 1")
	kv.Apply("set y 2")

	c := kv.Clone()
	c.Apply("set x 9")
	c.Apply("del y")
	v, _ := kv.Get("x")
	assert.Equal(t, "1", v, "a clone is independent")
	assert.Equal(t, []KVPair{{"x", "9"}}, c.Pairs())

	p := kv.Pairs()
	p[0].Value = "changed"
	v, _ = kv.Get("x")
	assert.Equal(t, "1", v, "Pairs returns a copy")

	kv.Reset()
	assert.Nil(t, kv.Pairs())
	assert.Zero(t, kv.Len())
	kv.Apply("set z 3")
	assert.Equal(t, []KVPair{{"z", "3"}}, kv.Pairs())
}
