package command

import (
	"path"
	"regexp"
	"strings"
)

// Bounds on nested commands (sudo env sh -c "sh -c ...") and on the
// statements and commands one Parse walks, so that no input makes it slow.
const (
	maxDepth  = 16
	maxBudget = 10000
)

// Parse returns the image steps of the command line argv, in execution
// order. Unknown tools and subcommands, and command lines that cannot be
// read with certainty, yield nothing.
//
// To give Parse the environment the command runs with (exec.Cmd.Env),
// prepend "env" and the NAME=VALUE words: Word indexes shift accordingly.
func Parse(argv []Word) []Step {
	p := &parser{budget: maxBudget}
	args := make([]arg, len(argv))
	for i, w := range argv {
		args[i] = arg{w: normal(w), i: i}
	}
	p.run(args, ctx{})
	return p.steps
}

type parser struct {
	steps  []Step
	depth  int
	budget int
}

// ctx is what a command inherits from the command line or script around it.
type ctx struct {
	// env holds the environment variables known to be set; a nil value is
	// set to something unknown.
	env map[string]Word
	// cleared: env -i or sudo emptied the environment, so a variable not
	// in env is unset rather than the caller's.
	cleared bool
	script  *scriptAt // where the command is, inside a script
	dir     Word      // see Step.Dir
	node    Word      // the node of docker exec NODE, inside it
	inNode  bool      // the command runs inside a Kind node
	in      input     // what the command reads on stdin
	out     Word      // the file stdout is redirected to
}

// scriptAt locates a command inside a script: see Step.Word, Offset, File.
type scriptAt struct {
	word, offset int
	file         string
}

// input is what a command reads on stdin; the zero input is the stdin of
// the command line itself, "-" to the caller.
type input struct {
	from *output // a pipe from another command
	file Word    // < file
	text Word    // a here-document
}

// output describes what a command writes to a pipe, for the next command.
type output struct {
	kind   outKind
	paths  []Word // outKustomize: the directories; outKo, outFiles: the files
	images []Word // outImages: a docker save
	text   Word   // outText: a here-document passed on by cat
	step   int    // outHelm: the index of the helm template step
}

type outKind int

const (
	outUnknown   outKind = iota // an unrecognised command
	outKustomize                // kustomize build, kubectl kustomize
	outKo                       // ko resolve
	outHelm                     // helm template
	outFiles                    // cat FILE...
	outText                     // cat of a here-document
	outImages                   // docker save to stdout
)

func (c ctx) withEnv(name string, v Word) ctx {
	env := make(map[string]Word, len(c.env)+1)
	for k, w := range c.env {
		env[k] = w
	}
	env[name] = v
	c.env = env
	return c
}

// lookup returns an environment variable of the command: nil and false when
// not known to be set, an Unknown word when set to something unknown.
func (c ctx) lookup(name string) (Word, bool) {
	v, ok := c.env[name]
	if ok && v == nil {
		v = unknown("$" + name)
	}
	return v, ok
}

func (p *parser) emit(s Step, c ctx, at arg) int {
	s.Dir = c.dir
	if c.inNode {
		s.Node = c.node
	}
	s.Word, s.Offset = at.i, -1
	if at := c.script; at != nil {
		s.Word, s.Offset, s.File = at.word, at.offset, at.file
	}
	p.steps = append(p.steps, s)
	return len(p.steps) - 1
}

// versioned matches the version suffix of tools installed side by side, as
// kubebuilder's bin/kustomize-v5.4.3.
var versioned = regexp.MustCompile(`-v[0-9][0-9A-Za-z.+-]*$`)

// program returns the tool a command word names: the base name of its
// literal path, "" when a run-time part may change it. A variable with a
// default names the default's tool ($(KUSTOMIZE) with KUSTOMIZE ?=
// bin/kustomize): the environment may override it, but with the same tool.
func program(w Word) string {
	if len(w) == 1 && w[0].IsVar() && w[0].Default != nil {
		return program(*w[0].Default)
	}
	if len(w) == 0 || !w[len(w)-1].literal() {
		return ""
	}
	last := w[len(w)-1].Text
	if i := strings.LastIndexByte(last, '/'); i >= 0 {
		last = last[i+1:]
	} else if len(w) > 1 {
		return "" // <slot>kind: the slot may be a directory or a prefix
	}
	return versioned.ReplaceAllString(last, "")
}

// run recognises one command and returns what it writes to a pipe, nil when
// nothing is known of it.
func (p *parser) run(args []arg, c ctx) *output {
	if len(args) == 0 || p.depth >= maxDepth || p.budget <= 0 {
		return nil
	}
	p.budget--
	p.depth++
	defer func() { p.depth-- }()
	tool := program(args[0].w)
	switch tool {
	case "env":
		return p.env(args, c)
	case "sudo":
		return p.sudo(args, c)
	case "time", "timeout", "nice", "nohup", "exec", "command":
		return p.wrapper(tool, args, c)
	case "sh", "bash", "dash", "ash", "ksh", "mksh", "zsh":
		return p.shell(tool, args, c)
	case "ctr":
		return p.ctr(args, c)
	case "cat":
		return p.cat(args, c)
	}
	if c.inNode {
		return nil // only containerd's own tools act on the node's images
	}
	switch tool {
	case "docker", "podman", "nerdctl", "buildah":
		return p.engine(tool, args, c)
	case "kind":
		p.kind(args, c)
	case "kubectl":
		return p.kubectl(args, c)
	case "kustomize":
		return p.kustomize(args, c)
	case "helm":
		return p.helm(args, c)
	case "make", "gmake":
		p.make(args, c)
	case "ko":
		return p.ko(args, c)
	case "go":
		p.goTest(args, c)
	default:
		if scriptPath(args[0].w) {
			p.runScript("", args[0].w, args[1:], c, false, args[0])
		}
	}
	return nil
}

// scriptPath reports whether a command word may name a script file the
// caller can read: a literal path with a directory (./x, hack/x.sh), or a
// run-time directory with a literal *.sh or *.bash file name
// ($(dirname "$0")/lib.sh).
func scriptPath(w Word) bool {
	if len(w) == 0 || !w[len(w)-1].literal() {
		return false
	}
	last := w[len(w)-1].Text
	if len(w) == 1 {
		return strings.Contains(strings.TrimSuffix(last, "/"), "/")
	}
	i := strings.LastIndexByte(last, '/')
	return i >= 0 && (strings.HasSuffix(last, ".sh") || strings.HasSuffix(last, ".bash")) && i < len(last)-1
}

// runScript emits the RunScript step of a script file run or sourced.
func (p *parser) runScript(shell string, file Word, args []arg, c ctx, sourced bool, at arg) {
	sa := &ScriptArgs{Shell: shell, Sourced: sourced}
	for _, a := range args {
		sa.Args = append(sa.Args, a.w)
	}
	sa.Env = envValues(c.env)
	tool := "./" + path.Base(file.String())
	switch {
	case sourced:
		tool = "source"
	case shell != "":
		tool = shell
	}
	p.emit(Step{Kind: RunScript, Tool: tool, Paths: []Value{file}, Script: sa}, c, at)
}

// envValues copies an environment, a variable set to something unknown as
// an Unknown word.
func envValues(env map[string]Word) map[string]Value {
	if len(env) == 0 {
		return nil
	}
	out := make(map[string]Value, len(env))
	for k, v := range env {
		if v == nil {
			v = unknown("$" + k)
		}
		out[k] = v
	}
	return out
}

var (
	envFlags  = flags("u unset C chdir S split-string", "i ignore-environment 0 null v debug", "")
	sudoFlags = flags("u user g group C close-from D chdir h host p prompt r role t type T command-timeout U other-user R chroot",
		"E H n S b i s k K P A B N l list v validate e edit V version non-interactive stdin background login shell set-home preserve-groups askpass bell reset-timestamp",
		"preserve-env")
	wrapperFlags = map[string]flagSpec{
		"time":    flags("f format o output", "p v a q portability verbose append quiet", ""),
		"timeout": flags("s signal k kill-after", "foreground preserve-status v verbose", ""),
		"nice":    flags("n adjustment", "", ""),
		"nohup":   {},
		"exec":    flags("a", "c l", ""),
		"command": flags("", "p", ""),
	}
)

// env runs the command of env [-i] [-u NAME] [-C DIR] [NAME=VALUE]... CMD.
func (p *parser) env(args []arg, c ctx) *output {
	s := envFlags.scan(args[1:], false)
	if s.unsure > 0 || s.has("-S", "--split-string") {
		return nil
	}
	if s.has("-i", "--ignore-environment") {
		c.env, c.cleared = nil, true
	}
	for _, u := range s.values("-u", "--unset") {
		if n, ok := u.Literal(); ok {
			c = c.withEnv(n, nil) // copies the map before the delete
			delete(c.env, n)
		}
	}
	if d := s.last("-C", "--chdir"); d != nil {
		c.dir = joinDir(c.dir, d)
	}
	rest, c := assignments(s.rest, c)
	return p.run(rest, c)
}

// assignments takes the leading NAME=VALUE words of env and sudo into the
// command's environment.
func assignments(args []arg, c ctx) ([]arg, ctx) {
	for len(args) > 0 {
		name, value, ok := args[0].w.cut("=")
		n, lit := name.Literal()
		if !ok || !lit || !validName(n) {
			break
		}
		c = c.withEnv(n, value)
		args = args[1:]
	}
	return args, c
}

func validName(n string) bool {
	if n == "" || n[0] >= '0' && n[0] <= '9' {
		return false
	}
	for _, r := range n {
		if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// sudo runs its command with the environment reset unless -E.
func (p *parser) sudo(args []arg, c ctx) *output {
	s := sudoFlags.scan(args[1:], false)
	// -l lists, -v validates, -e edits, -V prints the version: none runs a command.
	if s.unsure > 0 || s.has("-l", "--list", "-v", "--validate", "-e", "--edit", "-V", "--version") {
		return nil
	}
	if !s.has("-E", "--preserve-env") {
		c.env, c.cleared = nil, true
	}
	if d := s.last("-D", "--chdir"); d != nil {
		c.dir = joinDir(c.dir, d)
	}
	rest, c := assignments(s.rest, c)
	return p.run(rest, c)
}

// wrapper runs the command of time, timeout, nice, nohup, exec and command.
func (p *parser) wrapper(tool string, args []arg, c ctx) *output {
	s := wrapperFlags[tool].scan(args[1:], false)
	if s.unsure > 0 || tool == "command" && s.has("-v", "-V") {
		return nil
	}
	rest := s.rest
	if tool == "timeout" {
		if len(rest) == 0 {
			return nil
		}
		rest = rest[1:] // the duration
	}
	return p.run(rest, c)
}

// joinDir returns the directory d names when entered from dir.
func joinDir(dir, d Word) Word {
	t, lit := d.Literal()
	switch {
	case lit && (t == "" || t == "-"):
		return unknown("cd " + t)
	case lit && strings.HasPrefix(t, "/"):
		return Lit(path.Clean(t))
	case dir == nil:
		return d
	case d.head() == "": // starts with a run-time value: maybe absolute
		return unknown("cd " + d.String())
	}
	j := Concat(dir, Lit("/"), d)
	if t, ok := j.Literal(); ok {
		return Lit(path.Clean(t))
	}
	return j
}

// cat passes files, a here-document or its own stdin to the next command.
func (p *parser) cat(args []arg, c ctx) *output {
	var files []Word
	for _, a := range args[1:] {
		if !isFlag(a.w) {
			files = append(files, a.w)
		}
	}
	if len(files) == 0 || len(files) == 1 && files[0].is("-") {
		switch {
		case c.in.from != nil:
			return c.in.from
		case c.in.text != nil:
			return &output{kind: outText, text: c.in.text}
		case c.in.file != nil:
			files = []Word{c.in.file}
		default:
			files = []Word{Lit("-")}
		}
	}
	return &output{kind: outFiles, paths: files}
}

// stdin resolves a "-" argument: the files, here-document or pipe the
// command reads.
func stdin(c ctx) (files []Word, text Word, from *output) {
	switch {
	case c.in.from != nil:
		return nil, nil, c.in.from
	case c.in.text != nil:
		return nil, c.in.text, nil
	case c.in.file != nil:
		return []Word{c.in.file}, nil, nil
	}
	return []Word{Lit("-")}, nil, nil
}

func isStdin(w Word) bool { return w.is("-") || w.is("/dev/stdin") }
