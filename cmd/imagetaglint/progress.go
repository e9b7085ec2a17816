package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Progress on stderr. The first run on a large module is silent for
// minutes otherwise: go list compiles every dependency for its export
// data before anything can be type-checked. On a terminal, after a few
// seconds, one line says what is being done and for how long, rewritten in
// place and erased before the results are printed. Elsewhere (a CI log, a
// pipe) nothing is printed unless -progress asks, and then one line per
// stage. stdout never carries progress.

const (
	progressQuiet = 3 * time.Second        // a run this short says nothing on its own
	progressTick  = 500 * time.Millisecond // how often the live line is redrawn
)

// progress reports the stages of a run. A nil *progress reports nothing.
type progress struct {
	w     io.Writer
	live  bool // a terminal: one line rewritten in place
	width int  // the terminal's; the live line is cut to fit
	start time.Time
	quiet time.Duration

	mu          sync.Mutex
	stage       string
	done, total int    // packages of the stage done; total 0 when not counted
	shown       int    // the length of the live line on screen
	printed     string // in lines mode, the last stage printed
	stop, ended chan struct{}
}

// newProgress returns the progress reporter o asks for, writing on stderr,
// or nil.
func newProgress(stderr io.Writer, o *options) *progress {
	f, isFile := stderr.(*os.File)
	terminal := isFile && term.IsTerminal(int(f.Fd()))
	switch {
	case o.progressGiven && !o.progress:
		return nil
	case o.progress:
		return startProgress(stderr, terminal, terminalWidth(f, terminal), 0, progressTick)
	case terminal:
		return startProgress(stderr, true, terminalWidth(f, terminal), progressQuiet, progressTick)
	}
	return nil
}

func terminalWidth(f *os.File, terminal bool) int {
	if terminal {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// startProgress starts reporting on w, once quiet has passed: on a live
// line redrawn every tick, or a line per stage.
func startProgress(w io.Writer, live bool, width int, quiet, tick time.Duration) *progress {
	p := &progress{w: w, live: live, width: width, start: time.Now(), quiet: quiet}
	if !live {
		return p // lines are printed as stages start
	}
	p.stop, p.ended = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.ended)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.render()
			}
		}
	}()
	return p
}

// setStage starts a stage; total counts its packages, 0 if they are not
// counted.
func (p *progress) setStage(stage string, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.done, p.total = stage, 0, total
	p.renderLocked() // a stage shows as soon as it starts
}

// step counts one package of the stage as done.
func (p *progress) step() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
}

// render shows the stage, once the quiet time has passed.
func (p *progress) render() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.renderLocked()
}

func (p *progress) renderLocked() {
	elapsed := time.Since(p.start)
	if elapsed < p.quiet || p.stage == "" {
		return
	}
	what, status := "imagetaglint: "+p.stage, "... "
	if p.live && p.total > 0 {
		status += fmt.Sprintf("%d/%d, ", p.done, p.total)
	}
	status += elapsed.Round(time.Second).String()
	if !p.live {
		if p.stage != p.printed {
			p.printed = p.stage
			fmt.Fprintln(p.w, what+status)
		}
		return
	}
	// Fit the width, so that \r returns to the line's start: the
	// stage is cut, the count and time kept.
	if room := p.width - 1 - len(status); len(what) > room {
		what = what[:max(room, 0)]
	}
	line := what + status
	if len(line) >= p.width {
		line = line[:max(p.width-1, 0)]
	}
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", max(p.shown-len(line), 0)))
	p.shown = len(line)
}

// finish stops reporting. It erases the live line, so that what follows
// starts on a clean line, or ends the stage lines with the total time.
func (p *progress) finish() {
	if p == nil {
		return
	}
	if p.live {
		close(p.stop)
		<-p.ended
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.live && p.shown > 0:
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.shown))
		p.shown = 0
	case !p.live && p.printed != "":
		fmt.Fprintf(p.w, "imagetaglint: done in %s\n", time.Since(p.start).Round(time.Second))
	}
}
