package chapters

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSectionsSplitAtEachCluster: the opening prose stands alone, each
// exercise's section holds the blocks after its cluster, and no block is
// lost or repeated.
func TestSectionsSplitAtEachCluster(t *testing.T) {
	ex1, ex2 := &Exercise{N: 1}, &Exercise{N: 2}
	c := &Chapter{Blocks: []Block{
		{Kind: Prose, HTML: "intro"},
		{Kind: Cluster, Exercise: ex1},
		{Kind: Prose, HTML: "steps 1"},
		{Kind: Goals, Exercise: ex1},
		{Kind: Cluster, Exercise: ex2},
		{Kind: Goals, Exercise: ex2},
		{Kind: Quiz},
	}}
	got := c.Sections()
	require.Len(t, got, 3)
	require.Nil(t, got[0].Exercise)
	require.Equal(t, []Block{{Kind: Prose, HTML: "intro"}}, got[0].Blocks)
	require.Same(t, ex1, got[1].Exercise)
	require.Len(t, got[1].Blocks, 2)
	require.Same(t, ex2, got[2].Exercise)
	require.Equal(t, Quiz, got[2].Blocks[1].Kind)

	// A chapter that opens with its cluster has no empty opening section.
	c.Blocks = c.Blocks[1:]
	require.Len(t, c.Sections(), 2)
}
