package sim

import "raftlab/raft/sim/lex"

// ParseError is an error in scenario or action text: File and Line locate
// it (Line is 1-based; 0 means the text is a single action or the line is
// unknown), Msg says what was found and what was expected. It is the
// shared reader's error (lex.Error), so every line language reports the
// same way.
type ParseError = lex.Error
