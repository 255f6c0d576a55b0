package build

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// CompressedSizes reports how many bytes data takes when a server sends it
// gzip- and brotli-compressed at the best levels: the wasm size budget is
// about what is transferred, not the raw file.
func CompressedSizes(data []byte) (gzipBytes, brotliBytes int) {
	var gz, br bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(data)
	bw.Close()
	return gz.Len(), br.Len()
}
