// deck.js — the example lecture: reveal.js slides with <raft-cluster>
// elements, driven by the raftlab plugin (raftlab-reveal.js): on a slide
// with a cluster, → and ← step through the cluster's marks, then move on
// to the next slide. Clicking a cluster gives it the focus and its own
// keys; Escape gives them back to the slides.
Reveal.initialize({
  hash: true,
  width: 1280,
  height: 800,
  transition: 'fade',
  plugins: [RaftlabReveal],
});
