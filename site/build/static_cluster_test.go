package build

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"raftlab/raft/sim"
	"raftlab/raft/words"
)

// The first frame shows each server of the scenario in its starting state,
// with the view's words, hidden from screen readers (the page's loading
// status speaks for it).
func TestStaticCluster(t *testing.T) {
	html := string(StaticCluster(sim.DefaultScenario(), words.English))
	assert.True(t, strings.HasPrefix(html, `<figure class="rl-cluster rl-static" aria-hidden="true">`), html[:80])
	assert.Equal(t, 5, strings.Count(html, `data-node=`))
	assert.Equal(t, 5, strings.Count(html, `>Follower</text>`))
	assert.Equal(t, 5, strings.Count(html, `>term 0</text>`))
	assert.NotContains(t, html, "tabindex")

	sc, err := sim.ParseScenario("", "nodes: 3\ntimers: frozen\nserver S2: term 4 log [1,4]\nsetup:\n  timeout S1\n  crash S3\n")
	require.NoError(t, err)
	html = string(StaticCluster(sc, words.English))
	assert.Equal(t, 3, strings.Count(html, `data-node=`))
	assert.Contains(t, html, `data-node="1" data-role="Candidate"`)
	assert.Contains(t, html, `>votes 1/2</text>`)
	assert.Contains(t, html, `data-node="3" data-role="Down"`)
	assert.Contains(t, html, `>term 4</text>`)

	// A server outside the starting configuration is drawn so, in words
	// too, from the first frame on.
	sc, err = sim.ParseScenario("", "nodes: 3\nvoters: S1 S2\n")
	require.NoError(t, err)
	html = string(StaticCluster(sc, words.English))
	assert.Contains(t, html, `data-node="3" data-role="Follower" data-member="outside"`)
	assert.Equal(t, 1, strings.Count(html, `>outside</text>`))
	assert.Equal(t, 1, strings.Count(html, `data-member=`))
}
