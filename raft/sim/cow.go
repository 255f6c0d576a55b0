package sim

import (
	"slices"
	"sync/atomic"
)

// cowList is a list that a world and its checkpoints share: cloning copies
// one pointer per chunk, and writing to a chunk that another copy may see
// copies that chunk first. So a checkpoint costs little however long the
// list, and a write costs at most one chunk.
type cowList[T any] struct {
	chunks []*cowChunk[T]
	n      int
	gen    uint64 // chunks of this generation are this list's own
}

const cowChunkSize = 256

type cowChunk[T any] struct {
	gen   uint64
	items [cowChunkSize]T
}

var cowGen atomic.Uint64

func (l *cowList[T]) len() int { return l.n }

func (l *cowList[T]) at(i int) T { return l.chunks[i/cowChunkSize].items[i%cowChunkSize] }

// own returns chunk k, copied first unless it is this list's own.
func (l *cowList[T]) own(k int) *cowChunk[T] {
	if l.gen == 0 {
		l.gen = cowGen.Add(1)
	}
	ch := l.chunks[k]
	if ch.gen != l.gen {
		cp := *ch
		cp.gen = l.gen
		ch = &cp
		l.chunks[k] = ch
	}
	return ch
}

func (l *cowList[T]) set(i int, v T) { l.own(i / cowChunkSize).items[i%cowChunkSize] = v }

func (l *cowList[T]) push(v T) {
	if l.n%cowChunkSize == 0 {
		if l.gen == 0 {
			l.gen = cowGen.Add(1)
		}
		l.chunks = append(l.chunks, &cowChunk[T]{gen: l.gen})
	}
	l.n++
	l.set(l.n-1, v)
}

// clone returns a copy; from now on neither writes to the chunks they
// share.
func (l *cowList[T]) clone() cowList[T] {
	l.gen = cowGen.Add(1)
	return cowList[T]{chunks: slices.Clone(l.chunks), n: l.n, gen: cowGen.Add(1)}
}
