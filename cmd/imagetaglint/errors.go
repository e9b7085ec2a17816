package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Load, parse, type and analysis errors, printed as go build prints them:
// under a "# package" header. One error reaches the command up to three
// times: go list -export compiles each named package and its test variant,
// each failure a block of compiler errors under its own header, and the
// parser and type-checker report it again. The compiler's block is left
// out when the package has errors of the parser or type-checker, which say
// the same in other words or at other columns; the compiler's errors stand
// for packages that were not type-checked from source, and for failures
// only the compiler sees. Each remaining error, identified by its position
// and message, is kept once, under the first package in ID order that has
// it: "p" before its test variant "p [p.test]".

// buildError is one error of a package.
type buildError struct {
	pkg string   // the package's ID, as the header names it
	pos position // zero when the error has none
	msg string
}

// text is the error's line as go build prints it, paths relative to wd.
func (e buildError) text(wd string) string {
	if e.pos.File == "" {
		return e.msg
	}
	p := relPath(wd, e.pos.File) + ":" + strconv.Itoa(e.pos.Line)
	if e.pos.Column > 0 {
		p += ":" + strconv.Itoa(e.pos.Column)
	}
	return p + ": " + e.msg
}

// String is the error under its header, the form -json and -sarif print.
func (e buildError) String(wd string) string {
	return "# " + e.pkg + "\n" + e.text(wd)
}

// packageErrors returns the errors of the failed packages, each once,
// sorted by package, file, line, column and message.
func packageErrors(wd string, failed []*packages.Package) []buildError {
	failed = slices.SortedFunc(slices.Values(failed), func(a, b *packages.Package) int { return cmp.Compare(a.ID, b.ID) })
	type key struct {
		pos position
		msg string
	}
	seen := make(map[key]bool)
	var errs []buildError
	for _, p := range failed {
		checked := slices.ContainsFunc(p.Errors, func(e packages.Error) bool {
			return e.Kind == packages.ParseError || e.Kind == packages.TypeError
		})
		for _, pe := range p.Errors {
			if checked && isCompilerBlock(pe) {
				continue
			}
			for _, e := range splitError(wd, p.ID, pe) {
				if k := (key{e.pos, e.msg}); !seen[k] {
					seen[k] = true
					errs = append(errs, e)
				}
			}
		}
	}
	sortErrors(errs)
	return errs
}

func sortErrors(errs []buildError) {
	slices.SortStableFunc(errs, func(a, b buildError) int {
		return cmp.Or(
			cmp.Compare(a.pkg, b.pkg),
			cmp.Compare(a.pos.File, b.pos.File),
			cmp.Compare(a.pos.Line, b.pos.Line),
			cmp.Compare(a.pos.Column, b.pos.Column),
			cmp.Compare(a.msg, b.msg))
	})
}

// isCompilerBlock reports whether e is a compiler failure go list reports:
// a "# header" line, then errors whose continuation lines start with a tab.
func isCompilerBlock(e packages.Error) bool {
	return e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ")
}

// splitError returns the errors e holds: one, or a compiler block's.
func splitError(wd, pkg string, e packages.Error) []buildError {
	if !isCompilerBlock(e) {
		msg := e.Msg
		pos, ok := parsePosition(wd, e.Pos)
		if !ok && e.Pos != "" && e.Pos != "-" {
			msg = e.Pos + ": " + msg
		}
		return []buildError{{pkg: pkg, pos: pos, msg: msg}}
	}
	var errs []buildError
	_, body, _ := strings.Cut(strings.TrimRight(e.Msg, "\n"), "\n")
	for line := range strings.Lines(body) {
		line = strings.TrimSuffix(line, "\n")
		if n := len(errs); n > 0 && strings.HasPrefix(line, "\t") {
			errs[n-1].msg += "\n" + line
			continue
		}
		be := buildError{pkg: pkg, msg: line}
		if m := positioned.FindStringSubmatch(line); m != nil {
			if pos, ok := parsePosition(wd, m[1]); ok {
				be.pos, be.msg = pos, m[2]
			}
		}
		errs = append(errs, be)
	}
	return errs
}

// positioned is a compiler error line: "file:line[:column]: message".
var positioned = regexp.MustCompile(`^(.+?:\d+(?::\d+)?): (.*)$`)

// parsePosition parses "file:line[:column]"; a relative file is relative
// to wd, where go list ran.
func parsePosition(wd, s string) (position, bool) {
	var nums []int
	for range 2 {
		i := strings.LastIndexByte(s, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(s[i+1:])
		if err != nil || n <= 0 {
			break
		}
		nums = append(nums, n)
		s = s[:i]
	}
	if len(nums) == 0 || s == "" {
		return position{}, false
	}
	if !filepath.IsAbs(s) {
		s = filepath.Join(wd, s)
	}
	p := position{File: s, Line: nums[len(nums)-1]}
	if len(nums) == 2 {
		p.Column = nums[0]
	}
	return p, true
}

// printErrors prints errs, sorted, each package's under its header once.
func printErrors(w io.Writer, wd string, errs []buildError) {
	for i, e := range errs {
		if i == 0 || errs[i-1].pkg != e.pkg {
			fmt.Fprintf(w, "# %s\n", e.pkg)
		}
		fmt.Fprintln(w, e.text(wd))
	}
}

// errorStrings are errs in the form -json and -sarif print.
func errorStrings(wd string, errs []buildError) []string {
	ss := make([]string, len(errs))
	for i, e := range errs {
		ss[i] = e.String(wd)
	}
	return ss
}
