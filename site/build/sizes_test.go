package build

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCompressedSizes(t *testing.T) {
	data := bytes.Repeat([]byte("raft log entry; "), 1000)
	gz, br := CompressedSizes(data)
	require.Positive(t, gz)
	require.Positive(t, br)
	require.Less(t, gz, len(data)/10, "repetitive text compresses well")
	require.Less(t, br, len(data)/10)
}
