package raft

// Membership is a cluster configuration (§6; dissertation chapter 4): the
// servers whose votes count, and the servers that receive the log without
// voting. Lists are sorted and hold distinct ids.
type Membership struct {
	// Voters is the configuration in force (C_new during a joint change).
	Voters []NodeID
	// Learners receive entries but neither vote nor count towards a
	// majority; a new server catches up as one (dissertation §4.2.1).
	Learners []NodeID
	// Outgoing is C_old while a joint change is under way (§6): every
	// decision then needs a majority of Voters and of Outgoing.
	Outgoing []NodeID
}
