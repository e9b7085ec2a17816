package workflow

import (
	"slices"
	"strings"
)

// InvocationKind says what an Invocation runs.
type InvocationKind uint8

const (
	// GoTest is go test.
	GoTest InvocationKind = iota + 1
	// Make is make or gmake.
	Make
	// Script is a script file: bash FILE, ./FILE, a relative path or a
	// *.sh file run as a command, or source FILE.
	Script
)

func (k InvocationKind) String() string {
	switch k {
	case GoTest:
		return "go test"
	case Make:
		return "make"
	case Script:
		return "script"
	}
	return "?"
}

// Invocation is a run of go test, make or a script file in a run: step.
type Invocation struct {
	Kind InvocationKind
	Job  *Job
	Step *Step
	Pos  Pos // the command's first word
	// Command is the word naming what runs: go, make, the script's path.
	Command Arg
	// Args are the words after it: after "test" for go test, after the
	// script's path for a script.
	Args []Arg
	// Env is the environment it starts with, sorted by name: EnvAt, then
	// what the script exported before it, then NAME=value before the
	// command (and env NAME=value, sudo NAME=value).
	Env []Var
	// Dir is the directory it runs in, relative to the repository root
	// (empty: the root): the step's working-directory, then cd, then make's
	// -C. $GITHUB_WORKSPACE and ${{ github.workspace }} are the root.
	Dir Value

	// Make.
	Targets  []Arg
	Vars     []Var // NAME=value arguments, which override the Makefile's
	Makefile Value // -f FILE; nil when none

	// GoTest.
	Packages []Arg
	Tags     []string // -tags, split at commas
	// TestArgs are the flags go test hands to the test binary: those it
	// does not know itself, and every word after -args.
	TestArgs []Arg

	// Script.
	Sourced bool // source FILE or . FILE: it runs in the step's shell
}

// Invocations are the runs of go test, make and script files in the run:
// steps of the workflow, in file order.
func (wf *Workflow) Invocations() []Invocation {
	var out []Invocation
	for _, j := range wf.Jobs {
		out = append(out, j.invocations...)
	}
	return out
}

// invocation records words as an Invocation when they run go test, make
// or a script.
func (w *walker) invocation(words []Arg, env map[string]Var, dir Value) {
	words, keep := unwrap(words)
	if len(words) == 0 {
		return
	}
	if !keep {
		clear(env)
	}
	for len(words) > 1 && isLit(words[0].Value, "env") {
		// env [-i] [-u NAME] [NAME=value]... COMMAND
		words = words[1:]
		for len(words) > 1 {
			t, _ := words[0].Value.Literal()
			if t == "-i" || t == "--ignore-environment" || t == "-" {
				clear(env)
			} else if t == "-u" || t == "--unset" {
				if u, ok := words[1].Value.Literal(); ok {
					delete(env, u)
				}
				words = words[1:]
			} else if n, v, ok := words[0].Value.cut("="); ok && isName(n) {
				name, _ := n.Literal()
				env[name] = Var{Name: name, Value: v, Pos: words[0].Pos}
			} else if !strings.HasPrefix(t, "-") {
				break
			}
			words = words[1:]
		}
	}
	inv := Invocation{Job: w.job, Step: w.step, Pos: words[0].Pos, Command: words[0], Dir: dir}
	name, _ := words[0].Value.Literal()
	switch {
	case name == "go" && len(words) > 1 && isLit(words[1].Value, "test"):
		inv.Kind = GoTest
		inv.Args = words[2:]
		goTestArgs(&inv)
	case name == "make" || name == "gmake":
		inv.Kind = Make
		inv.Args = words[1:]
		makeArgs(&inv)
	case name == "source" || name == ".":
		if len(words) < 2 {
			return
		}
		inv.Kind, inv.Sourced = Script, true
		inv.Command, inv.Args = words[1], words[2:]
	case isShell(name):
		file := shellScriptArg(words[1:])
		if file < 0 {
			return
		}
		inv.Kind = Script
		inv.Command, inv.Args = words[1+file], words[2+file:]
	case isScriptPath(words[0].Value):
		inv.Kind = Script
		inv.Args = words[1:]
	default:
		return
	}
	inv.Env = sortedEnv(env)
	w.found = append(w.found, inv)
}

// unwrap drops the commands that run the next one unchanged: sudo, time,
// nohup, command, exec, timeout, nice. keep is false when the environment
// does not reach the command (sudo without -E keeps only NAME=value
// arguments, which stay in words).
func unwrap(words []Arg) (rest []Arg, keep bool) {
	keep = true
	for len(words) > 1 {
		name, _ := words[0].Value.Literal()
		switch name {
		case "command":
			if len(words) > 1 && (isLit(words[1].Value, "-v") || isLit(words[1].Value, "-V")) {
				return nil, keep // a lookup, not a run
			}
			words = skipOptions(words[1:], nil)
		case "time", "nohup", "exec", "nice":
			words = skipOptions(words[1:], nil)
		case "timeout":
			words = skipOptions(words[1:], []string{"-s", "--signal", "-k", "--kill-after"})
			if len(words) > 1 {
				words = words[1:] // the duration
			}
		case "sudo":
			preserve := false
			for _, a := range words[1:] {
				t, _ := a.Value.Literal()
				if !strings.HasPrefix(t, "-") {
					break
				}
				if t == "-E" || strings.HasPrefix(t, "--preserve-env") {
					preserve = true
				}
			}
			words = skipOptions(words[1:], []string{"-u", "--user", "-g", "--group", "-C", "-D", "--chdir", "-h", "--host", "-p", "--prompt", "-r", "--role", "-t", "--type", "-T", "--command-timeout"})
			if !preserve {
				keep = false
			}
			if len(words) > 0 && !isLit(words[0].Value, "env") && hasAssignment(words) {
				words = append([]Arg{{Value: Lit("env"), Pos: words[0].Pos}}, words...)
			}
			return words, keep
		default:
			return words, keep
		}
	}
	return words, keep
}

// hasAssignment reports whether words starts with NAME=value.
func hasAssignment(words []Arg) bool {
	n, _, ok := words[0].Value.cut("=")
	return ok && isName(n)
}

// skipOptions drops leading options; those in withValue take the next word.
func skipOptions(words []Arg, withValue []string) []Arg {
	for len(words) > 1 {
		t, ok := words[0].Value.Literal()
		if !ok || !strings.HasPrefix(t, "-") {
			break
		}
		words = words[1:]
		if t == "--" {
			break
		}
		if slices.Contains(withValue, t) && len(words) > 1 {
			words = words[1:]
		}
	}
	return words
}

func isName(v Value) bool {
	t, ok := v.Literal()
	return ok && validName(t)
}

func isShell(name string) bool {
	switch name {
	case "bash", "sh", "dash", "zsh", "ksh":
		return true
	}
	return false
}

// shellScriptArg returns the index in args of the script file bash runs,
// or -1 for bash -c, bash -s and bash reading stdin.
func shellScriptArg(args []Arg) int {
	for i := 0; i < len(args); i++ {
		t, lit := args[i].Value.Literal()
		if !lit || !strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "+") {
			return i
		}
		if t == "--" {
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		}
		if strings.HasPrefix(t, "--") {
			if t == "--rcfile" || t == "--init-file" {
				i++
			}
			continue
		}
		if strings.ContainsAny(t, "cs") {
			return -1
		}
		if strings.ContainsAny(t, "oO") {
			i++ // -o pipefail
		}
	}
	return -1
}

// isScriptPath reports whether a command word names a script of the
// repository: a relative path (./hack/e2e.sh, hack/e2e.sh) or a *.sh file.
// Absolute paths are installed tools (/usr/local/bin/kind).
func isScriptPath(v Value) bool {
	s := v.String()
	if len(v) > 0 && v[0].Kind == Text && strings.HasPrefix(v[0].Text, "/") {
		return false
	}
	if strings.HasSuffix(s, ".sh") || strings.HasSuffix(s, ".bash") {
		return true
	}
	t, lit := v.Literal()
	return lit && strings.Contains(t, "/") && !strings.HasPrefix(t, "~")
}

// makeArgs splits make's arguments into targets, variables, -C and -f.
func makeArgs(inv *Invocation) {
	args := inv.Args
	for i := 0; i < len(args); i++ {
		a := args[i]
		t, lit := a.Value.Literal()
		// value reads -X VALUE, -XVALUE and --long=VALUE ("" for none).
		value := func(short, long string) (Value, bool) {
			switch {
			case short == "" || !lit || strings.HasPrefix(t, "--"):
			case t == short && i+1 < len(args):
				i++
				return args[i].Value, true
			case len(t) > len(short) && strings.HasPrefix(t, short):
				return Lit(t[len(short):]), true
			}
			return a.Value.cutPrefix(long + "=")
		}
		if v, ok := value("-C", "--directory"); ok {
			inv.Dir = changeDir(inv.Dir, v)
			continue
		}
		if v, ok := value("-f", "--file"); ok {
			inv.Makefile = v
			continue
		}
		if v, ok := value("", "--makefile"); ok {
			inv.Makefile = v
			continue
		}
		if _, ok := value("-I", "--include-dir"); ok {
			continue
		}
		if _, ok := value("-o", "--old-file"); ok {
			continue
		}
		if _, ok := value("-W", "--what-if"); ok {
			continue
		}
		if lit && (t == "-j" || t == "-l") && i+1 < len(args) && isNumber(args[i+1].Value) {
			i++
			continue
		}
		if n, v, ok := a.Value.cut("="); ok && isName(n) && !strings.HasPrefix(t, "-") {
			name, _ := n.Literal()
			inv.Vars = append(inv.Vars, Var{Name: name, Value: v, Pos: a.Pos})
			continue
		}
		if !lit || !strings.HasPrefix(t, "-") {
			inv.Targets = append(inv.Targets, a)
		}
	}
}

// goTestFlags are go test's and go build's own flags that take a value as
// the next word; the others it knows are boolean.
var goTestFlags = map[string]bool{
	"asmflags": true, "bench": true, "benchtime": true, "blockprofile": true, "blockprofilerate": true,
	"C": true, "count": true, "covermode": true, "coverpkg": true, "coverprofile": true, "cpu": true,
	"cpuprofile": true, "exec": true, "fuzz": true, "fuzzminimizetime": true, "fuzztime": true,
	"gccgoflags": true, "gcflags": true, "installsuffix": true, "ldflags": true, "list": true,
	"memprofile": true, "memprofilerate": true, "mod": true, "modfile": true, "mutexprofile": true,
	"mutexprofilefraction": true, "o": true, "outputdir": true, "overlay": true, "p": true,
	"parallel": true, "pgo": true, "pkgdir": true, "run": true, "shuffle": true, "skip": true,
	"tags": true, "timeout": true, "toolexec": true, "trace": true, "vet": true,
}

var goTestBoolFlags = map[string]bool{
	"a": true, "asan": true, "benchmem": true, "buildvcs": true, "cover": true, "failfast": true,
	"fullpath": true, "i": true, "json": true, "linkshared": true, "msan": true, "n": true,
	"race": true, "short": true, "trimpath": true, "v": true, "work": true, "x": true,
}

// goTestArgs splits go test's arguments into packages, build tags and the
// arguments that reach the test binary.
func goTestArgs(inv *Invocation) {
	args := inv.Args
	for i := 0; i < len(args); i++ {
		a := args[i]
		t, lit := a.Value.Literal()
		if !lit || !strings.HasPrefix(t, "-") {
			if len(inv.TestArgs) == 0 {
				inv.Packages = append(inv.Packages, a)
			} else {
				inv.TestArgs = append(inv.TestArgs, a) // the value of a test flag
			}
			continue
		}
		if t == "-args" || t == "--args" {
			inv.TestArgs = append(inv.TestArgs, args[i+1:]...)
			return
		}
		flag, value, hasValue := strings.Cut(strings.TrimLeft(t, "-"), "=")
		switch {
		case goTestFlags[flag]:
			if !hasValue && i+1 < len(args) {
				i++
				value, _ = args[i].Value.Literal()
			}
			if flag == "tags" {
				for tag := range strings.SplitSeq(value, ",") {
					if tag = strings.TrimSpace(tag); tag != "" {
						inv.Tags = append(inv.Tags, tag)
					}
				}
			}
		case goTestBoolFlags[flag]:
		default:
			inv.TestArgs = append(inv.TestArgs, a)
		}
	}
}

func isNumber(v Value) bool {
	t, ok := v.Literal()
	return ok && t != "" && strings.Trim(t, "0123456789") == ""
}

// cutPrefix removes the literal prefix s from v.
func (v Value) cutPrefix(s string) (Value, bool) {
	if len(v) == 0 || v[0].Kind != Text || !strings.HasPrefix(v[0].Text, s) {
		return v, false
	}
	return concat(Lit(v[0].Text[len(s):]), v[1:]), true
}

func sortedEnv(env map[string]Var) []Var {
	out := make([]Var, 0, len(env))
	for _, v := range env {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Var) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// emitted returns what a command writes to stdout when it is an echo, a
// printf or a cat of a here-document or here-string.
func emitted(words []Arg, c cmdCtx) (Value, bool) {
	words, _ = unwrap(words)
	if len(words) == 0 {
		return nil, false
	}
	name, _ := words[0].Value.Literal()
	args := words[1:]
	switch name {
	case "echo":
		newline := true
		for len(args) > 0 {
			t, _ := args[0].Value.Literal()
			if t != "-n" && t != "-e" && t != "-E" && t != "-ne" && t != "-en" {
				break
			}
			newline = newline && !strings.Contains(t, "n")
			args = args[1:]
		}
		var out []Value
		for i, a := range args {
			if i > 0 {
				out = append(out, Lit(" "))
			}
			out = append(out, a.Value)
		}
		if newline {
			out = append(out, Lit("\n"))
		}
		return concat(out...), true
	case "printf":
		if len(args) == 0 {
			return nil, false
		}
		return printf(args[0].Value, args[1:])
	case "cat":
		if len(args) == 0 && c.stdin != nil {
			return c.stdin, true
		}
	}
	return nil, false
}

// printf renders a literal format whose verbs are %s and %%, with \n.
func printf(format Value, args []Arg) (Value, bool) {
	f, ok := format.Literal()
	if !ok {
		return nil, false
	}
	f = strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`).Replace(f)
	var out []Value
	for {
		i := strings.IndexByte(f, '%')
		if i < 0 || i+1 == len(f) {
			break
		}
		out = append(out, Lit(f[:i]))
		switch f[i+1] {
		case '%':
			out = append(out, Lit("%"))
		case 's':
			if len(args) > 0 {
				out = append(out, args[0].Value)
				args = args[1:]
			}
		default:
			return nil, false
		}
		f = f[i+2:]
	}
	return concat(append(out, Lit(f))...), true
}

// appendEnv reads text written to $GITHUB_ENV: NAME=value lines and
// NAME<<DELIMITER blocks, which set variables for the job's later steps.
func (w *walker) appendEnv(text Value, at Pos) {
	lines := text.lines()
	for i := 0; i < len(lines); i++ {
		if n, delim, ok := lines[i].cut("<<"); ok && isName(n) {
			d, lit := delim.Literal()
			if !lit || d == "" {
				continue
			}
			var body []Value
			for i++; i < len(lines) && !isLit(lines[i], d); i++ {
				if len(body) > 0 {
					body = append(body, Lit("\n"))
				}
				body = append(body, lines[i])
			}
			name, _ := n.Literal()
			w.appends = append(w.appends, Var{Name: name, Value: concat(body...), Pos: at})
			continue
		}
		if n, v, ok := lines[i].cut("="); ok && isName(n) {
			name, _ := n.Literal()
			w.appends = append(w.appends, Var{Name: name, Value: v, Pos: at})
		}
	}
}
