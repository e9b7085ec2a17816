package main

import (
	"strings"
	"testing"
	"time"
)

// On a terminal the stage is one line, rewritten in place with its count
// and cut to the terminal's width, then erased.
func TestProgressLive(t *testing.T) {
	var buf strings.Builder
	p := startProgress(&buf, true, 40, 0, time.Hour) // no tick: rendered by hand
	p.setStage("loading", 0)
	p.setStage("type-checking 3 packages", 3)
	p.step()
	p.render()
	p.setStage("analysing", 0)
	p.finish()
	want := "\rimagetaglint: loading... 0s" +
		"\rimagetaglint: type-checking ... 0/3, 0s" + // the stage cut to the width
		"\rimagetaglint: type-checking ... 1/3, 0s" +
		"\rimagetaglint: analysing... 0s" + strings.Repeat(" ", 39-29) +
		"\r" + strings.Repeat(" ", 29) + "\r"
	if buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}

	buf.Reset()
	p = startProgress(&buf, true, 80, time.Hour, time.Hour)
	p.setStage("loading", 0)
	p.render()
	p.finish()
	if buf.String() != "" {
		t.Errorf("a run shorter than the quiet time printed %q", buf.String())
	}
}

// Elsewhere, when asked, a line per stage and the total time.
func TestProgressLines(t *testing.T) {
	var buf strings.Builder
	p := startProgress(&buf, false, 80, 0, time.Millisecond)
	p.setStage("loading", 0)
	p.setStage("type-checking 3 packages", 3)
	p.step()
	time.Sleep(5 * time.Millisecond) // ticks, if any, add nothing
	p.finish()
	want := "imagetaglint: loading... 0s\nimagetaglint: type-checking 3 packages... 0s\nimagetaglint: done in 0s\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	var nilProgress *progress
	nilProgress.setStage("x", 1)
	nilProgress.step()
	nilProgress.finish()
}
