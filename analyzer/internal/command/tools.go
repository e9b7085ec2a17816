package command

import (
	"strings"

	"github.com/distribution/reference"
)

// Flags of the tools, from their own definitions (docker, podman, nerdctl
// and buildah share one list per subcommand). Unknown flags are taken as
// booleans; see flagSpec.
var (
	engineGlobal = map[string]flagSpec{
		"docker": flags("c context H host config l log-level tlscacert tlscert tlskey", "D debug tls tlsverify", ""),
		"podman": flags("cgroup-manager conmon c connection events-backend hooks-dir identity imagestore log-level module "+
			"network-cmd-path network-config-dir out root runroot runtime runtime-flag ssh storage-driver storage-opt "+
			"tmpdir url volumepath cdi-spec-dir registries-conf", "r remote transient-store syslog", ""),
		"nerdctl": flags("a address H host n namespace snapshotter storage-driver cni-path cni-netconfpath data-root "+
			"cgroup-manager host-gateway-ip hosts-dir bridge-ip", "debug debug-full insecure-registry experimental kube-hide-dupe", ""),
		"buildah": flags("root runroot storage-driver storage-opt userns-uid-map userns-gid-map cgroup-manager log-level "+
			"registries-conf registries-conf-dir short-name-alias-conf cpu-profile memory-profile default-mounts-file", "debug", ""),
	}
	buildxFlags = flags("builder", "D debug", "")
	buildFlags  = flags("t tag f file build-arg build-arg-file build-context builder cache-from cache-to cache-ttl call "+
		"cgroup-parent cgroupns iidfile label metadata-file network no-cache-filter o output platform progress provenance "+
		"sbom secret shm-size ssh target ulimit add-host allow annotation attest c cpu-shares cpuset-cpus cpuset-mems "+
		"cpu-period cpu-quota m memory memory-swap isolation security-opt authfile cert-dir creds format jobs os arch "+
		"variant v volume manifest timestamp sign-by runtime userns from cap-add cap-drop device dns dns-option "+
		"dns-search env ignorefile retry retry-delay unsetenv unsetlabel unsetannotation logfile layer-label hooks-dir "+
		"cpp-flag decryption-key group-add ipc pid uts userns-uid-map userns-gid-map userns-uid-map-user "+
		"userns-gid-map-group runtime-flag signature-policy source-date-epoch os-feature os-version",
		"q quiet rm force-rm no-cache squash squash-all layers load push compress disable-content-trust tls-verify "+
			"omit-history identity-label skip-unused-stages stdin D disable-compression http-proxy no-hosts "+
			"all-platforms check rewrite-timestamp",
		"pull")
	tagFlags  = flags("", "", "")
	saveFlags = flags("o output format platform", "q quiet m multi-image-archive compress uncompressed all-platforms", "")
	loadFlags = flags("i input platform signature-policy", "q quiet all-platforms", "")
	pushFlags = flags("authfile cert-dir creds digestfile format f compression-format compression-level sign-by "+
		"sign-by-sigstore sign-by-sigstore-private-key sign-passphrase-file encryption-key encrypt-layer retry "+
		"retry-delay platform", "a all-tags q quiet disable-content-trust remove-signatures tls-verify compress "+
		"force-compression all-platforms", "")
	execFlags = flags("e env env-file u user w workdir detach-keys preserve-fds", "d detach i interactive t tty privileged l latest", "")

	ctrGlobal     = flagSpec{goStyle: true}.with(flags("a address timeout connect-timeout n namespace", "debug", ""))
	ctrTagFlags   = flagSpec{goStyle: true}.with(flags("", "force local skip-reference-check", ""))
	ctrImportFlag = flagSpec{goStyle: true}.with(flags("base-name index-name platform snapshotter snapshotter-label label",
		"digests skip-digest-for-named all-platforms no-unpack local compress-blobs discard-unpacked-layers sync-fs", ""))

	kindGlobal = flags("v verbosity loglevel", "q quiet", "")
	kindLoad   = flags("n name nodes", "", "").with(kindGlobal)

	kubectlGlobal = flags("kubeconfig context cluster user n namespace s server token as as-group as-uid "+
		"certificate-authority client-certificate client-key request-timeout tls-server-name cache-dir v vmodule "+
		"log-dir log-file log-file-max-size password username profile profile-output log-backtrace-at "+
		"stderrthreshold kuberc", "insecure-skip-tls-verify match-server-version warnings-as-errors alsologtostderr "+
		"logtostderr one-output skip-headers skip-log-headers add-dir-header disable-compression", "")
	kubectlApply = flags("f filename k kustomize l selector field-manager o output template timeout grace-period "+
		"prune-allowlist prune-whitelist subresource raw image port r replicas",
		"R recursive server-side force-conflicts prune all overwrite wait force openapi-patch record save-config "+
			"show-managed-fields allow-missing-template-keys edit windows-line-endings",
		"dry-run validate cascade").with(kubectlGlobal)
	kubectlSet = flags("f filename k kustomize l selector o output template field-manager",
		"all local R recursive record allow-missing-template-keys show-managed-fields", "dry-run").with(kubectlGlobal)
	kubectlRun = flags("image env labels l port overrides restart pod-running-timeout image-pull-policy annotations f "+
		"filename hostport requests limits serviceaccount field-manager o output template timeout grace-period",
		"i stdin t tty rm q quiet leave-stdin-open privileged command expose attach force wait save-config "+
			"show-managed-fields allow-missing-template-keys", "dry-run cascade").with(kubectlGlobal)
	kustomizeBuild = flags("o output load-restrictor helm-command mount e env network-name reorder helm-api-versions "+
		"helm-kube-version", "enable-helm enable-alpha-plugins as-current-user network enable-exec helm-debug stack-trace", "")

	koGlobal = flags("", "v verbose", "")
	koBuild  = flags("platform t tags image-label image-annotation image-user sbom sbom-dir j jobs oci-layout-path "+
		"imagerefs tarball", "B base-import-paths P preserve-import-paths L local bare push insecure-registry "+
		"disable-optimizations tag-only debug", "").with(koGlobal)
	koApply = flags("f filename l selector", "R recursive W watch", "").with(koBuild).with(kubectlGlobal)
)

// engine recognises docker, podman, nerdctl and buildah command lines.
func (p *parser) engine(tool string, args []arg, c ctx) *output {
	g := engineGlobal[tool]
	s := g.scan(args[1:], false)
	if s.unsure > 0 || len(s.rest) == 0 {
		return nil
	}
	sub, _ := s.rest[0].w.Literal()
	rest := s.rest[1:]
	name := tool + " " + sub
	switch sub {
	case "image":
		if len(rest) == 0 {
			return nil
		}
		sub, _ = rest[0].w.Literal()
		name += " " + sub
		rest = rest[1:]
	case "buildx", "builder":
		bs := buildxFlags.scan(rest, false)
		if bs.unsure > 0 || len(bs.rest) == 0 || !bs.rest[0].w.is("build") && !bs.rest[0].w.is("b") {
			return nil
		}
		sub, name, rest = "build", name+" build", bs.rest[1:]
	}
	at := args[0]
	switch sub {
	case "build", "bud":
		if tool != "buildah" && sub == "bud" {
			return nil
		}
		b := buildFlags.with(g).scan(rest, true)
		step := Step{Kind: Build, Tool: name, Images: b.values("-t", "--tag")}
		// One context: extra positional words were values of unknown flags.
		if n := len(b.pos); n > 0 && n-1 <= b.unsure {
			step.Paths = []Value{b.pos[n-1].w}
		}
		p.emit(step, c, at)
	case "tag":
		t := tagFlags.with(g).scan(rest, true)
		pos := t.posWords()
		if t.unsure > 0 || len(pos) < 2 || tool == "docker" && len(pos) != 2 {
			return nil
		}
		for _, to := range pos[1:] {
			p.emit(Step{Kind: Tag, Tool: name, Images: []Value{pos[0], to}}, c, at)
		}
	case "save":
		if tool == "buildah" {
			return nil
		}
		sv := saveFlags.with(g).scan(rest, true)
		if sv.unsure > 0 || len(sv.pos) == 0 {
			return nil
		}
		step := Step{Kind: Save, Tool: name, Images: sv.posWords()}
		if o := sv.last("-o", "--output"); o != nil {
			step.Paths = []Value{o}
		} else if c.out != nil {
			step.Paths = []Value{c.out}
		}
		p.emit(step, c, at)
		if step.Paths == nil {
			return &output{kind: outImages, images: step.Images}
		}
	case "load":
		l := loadFlags.with(g).scan(rest, true)
		if l.unsure > 0 || len(l.pos) > 0 || tool == "buildah" {
			return nil
		}
		step := Step{Kind: HostLoad, Tool: name}
		if i := l.last("-i", "--input"); i != nil && !isStdin(i) {
			step.Paths = []Value{i}
		} else {
			step.Paths, step.Images = archive(c)
		}
		p.emit(step, c, at)
	case "push":
		ps := pushFlags.with(g).scan(rest, true)
		if ps.unsure > 0 || len(ps.pos) == 0 || len(ps.pos) > 2 {
			return nil
		}
		p.emit(Step{Kind: Push, Tool: name, Images: ps.posWords()}, c, at)
	case "exec":
		p.exec(g, rest, c)
	}
	return nil
}

// archive returns what a command reading an image archive on stdin gets:
// the images of a docker save piped into it, or the file.
func archive(c ctx) (paths, images []Value) {
	files, _, from := stdin(c)
	switch {
	case from != nil && from.kind == outImages:
		return nil, from.images
	case from != nil:
		return []Value{unknown("-")}, nil
	}
	return files, nil
}

// exec follows docker exec [flags] NODE CMD... into the node.
func (p *parser) exec(global flagSpec, args []arg, c ctx) {
	e := execFlags.with(global).scan(args, false)
	rest := e.rest
	if e.unsure > 0 || e.has("-d", "--detach") {
		return
	}
	if !e.has("-l", "--latest") { // podman -l: the latest container, no NODE
		if len(rest) == 0 {
			return
		}
		c.node, rest = rest[0].w, rest[1:]
	}
	c.inNode = true
	if !e.has("-i", "--interactive") {
		c.in = input{from: &output{kind: outUnknown}} // no stdin reaches the node
	}
	c.out = nil
	c.env = nil
	for _, kv := range e.values("-e", "--env") {
		if name, value, ok := kv.cut("="); ok {
			if n, lit := name.Literal(); lit {
				c = c.withEnv(n, value)
			}
		}
	}
	p.run(rest, c)
}

// ctr recognises ctr images tag and import in containerd's k8s.io
// namespace, the one the kubelet uses.
func (p *parser) ctr(args []arg, c ctx) *output {
	g := ctrGlobal.scan(args[1:], false)
	if g.unsure > 0 || len(g.rest) < 2 {
		return nil
	}
	ns := g.last("-n", "--namespace")
	if ns == nil {
		ns, _ = c.lookup("CONTAINERD_NAMESPACE")
	}
	if t, lit := ns.Literal(); ns == nil || lit && t != "k8s.io" {
		return nil // the default namespace, which the kubelet does not see
	}
	group, _ := g.rest[0].w.Literal()
	if group != "images" && group != "image" && group != "i" {
		return nil
	}
	sub, _ := g.rest[1].w.Literal()
	at := args[0]
	switch sub {
	case "tag":
		t := ctrTagFlags.scan(g.rest[2:], true)
		pos := t.posWords()
		if t.unsure > 0 || len(pos) < 2 {
			return nil
		}
		for _, to := range pos[1:] {
			p.emit(Step{Kind: NodeTag, Tool: "ctr images tag", Images: []Value{pos[0], to}}, c, at)
		}
	case "import":
		im := ctrImportFlag.scan(g.rest[2:], true)
		if im.unsure > 0 || len(im.pos) != 1 {
			return nil
		}
		step := Step{Kind: Load, Tool: "ctr images import", Paths: []Value{im.pos[0].w}}
		if isStdin(im.pos[0].w) {
			step.Paths, step.Images = archive(c)
		}
		p.emit(step, c, at)
	}
	return nil
}

// kind recognises kind load docker-image and image-archive.
func (p *parser) kind(args []arg, c ctx) {
	g := kindGlobal.scan(args[1:], false)
	if g.unsure > 0 || len(g.rest) < 2 || !g.rest[0].w.is("load") {
		return
	}
	sub, _ := g.rest[1].w.Literal()
	l := kindLoad.scan(g.rest[2:], true)
	if l.unsure > 0 || len(l.pos) == 0 {
		return
	}
	step := Step{Kind: Load, Tool: "kind load " + sub, Cluster: l.last("-n", "--name")}
	if step.Cluster == nil {
		step.Cluster, _ = c.lookup("KIND_CLUSTER_NAME")
	}
	switch sub {
	case "docker-image":
		step.Images = l.posWords()
	case "image-archive":
		if len(l.pos) != 1 {
			return
		}
		step.Paths = l.posWords()
	default:
		return
	}
	p.emit(step, c, args[0])
}

// kubectl recognises apply, create, replace, set image, run and kustomize.
func (p *parser) kubectl(args []arg, c ctx) *output {
	g := kubectlGlobal.scan(args[1:], false)
	if g.unsure > 0 || len(g.rest) == 0 {
		return nil
	}
	sub, _ := g.rest[0].w.Literal()
	rest, at := g.rest[1:], args[0]
	switch sub {
	case "apply", "create", "replace":
		s := kubectlApply.scan(rest, true)
		if dryRun(&s) {
			return nil
		}
		pos := s.posWords()
		switch {
		case sub == "create" && len(pos) > 0 && (pos[0].is("deployment") || pos[0].is("deploy")):
			if images := s.values("--image"); len(images) > 0 && s.unsure == 0 {
				p.emit(Step{Kind: SetImage, Tool: "kubectl create deployment", Images: images}, c, at)
			}
		case len(pos) <= s.unsure: // no positional word but values of unknown flags
			p.apply("kubectl "+sub, &s, c, at)
		}
	case "set":
		s := kubectlSet.scan(rest, true)
		pos := s.posWords()
		if dryRun(&s) || s.has("--local") || len(pos) == 0 || !pos[0].is("image") {
			return nil
		}
		step := Step{Kind: SetImage, Tool: "kubectl set image"}
		for _, w := range pos[1:] {
			if name, image, ok := w.cut("="); ok {
				step.Names = append(step.Names, name)
				step.Images = append(step.Images, image)
			}
		}
		if len(step.Images) > 0 {
			p.emit(step, c, at)
		}
	case "run":
		s := kubectlRun.scan(rest, true)
		if dryRun(&s) || s.unsure > 0 || len(s.pos) != 1 {
			return nil
		}
		if image := s.last("--image"); image != nil {
			p.emit(Step{Kind: SetImage, Tool: "kubectl run", Images: []Value{image}}, c, at)
		}
	case "kustomize":
		s := kustomizeBuild.with(kubectlGlobal).scan(rest, true)
		return kustomizeOutput(&s)
	}
	return nil
}

// dryRun reports whether a kubectl --dry-run keeps the command from
// changing the cluster.
func dryRun(s *scanned) bool {
	if !s.has("--dry-run") {
		return false
	}
	v := s.last("--dry-run")
	return v == nil || !v.is("none") && !v.is("false")
}

// apply emits the Apply or ApplyKustomize step of -f and -k flags.
func (p *parser) apply(tool string, s *scanned, c ctx, at arg) {
	if dirs := s.values("-k", "--kustomize"); len(dirs) > 0 {
		p.emit(Step{Kind: ApplyKustomize, Tool: tool, Paths: dirs}, c, at)
		return
	}
	step := Step{Kind: Apply, Tool: tool}
	for _, f := range s.values("-f", "--filename") {
		for _, path := range f.splitCommas() {
			if !isStdin(path) {
				step.Paths = append(step.Paths, path)
				continue
			}
			files, text, from := stdin(c)
			switch {
			case text != nil:
				step.Inline = text
			case from == nil:
				step.Paths = append(step.Paths, files...)
			case from.kind == outKustomize:
				p.emit(Step{Kind: ApplyKustomize, Tool: "kustomize build | " + tool, Paths: from.paths}, c, at)
			case from.kind == outHelm:
				h := &p.steps[from.step]
				h.Helm.Installs = true
				h.Tool += " | " + tool
			case from.kind == outKo, from.kind == outFiles:
				step.Paths = append(step.Paths, from.paths...)
			case from.kind == outText:
				step.Inline = from.text
			default:
				step.Paths = append(step.Paths, unknown("-"))
			}
		}
	}
	if step.Paths != nil || step.Inline != nil {
		p.emit(step, c, at)
	}
}

func kustomizeOutput(s *scanned) *output {
	if s.unsure > 0 || len(s.pos) > 1 || s.has("-o", "--output") {
		return nil
	}
	dirs := s.posWords()
	if len(dirs) == 0 {
		dirs = []Word{Lit(".")}
	}
	return &output{kind: outKustomize, paths: dirs}
}

// kustomize recognises kustomize build (for a pipe) and edit set image.
func (p *parser) kustomize(args []arg, c ctx) *output {
	g := flags("", "stack-trace", "").scan(args[1:], false)
	if g.unsure > 0 || len(g.rest) == 0 {
		return nil
	}
	switch {
	case g.rest[0].w.is("build"):
		s := kustomizeBuild.scan(g.rest[1:], true)
		return kustomizeOutput(&s)
	case len(g.rest) >= 3 && g.rest[0].w.is("edit") && g.rest[1].w.is("set") && g.rest[2].w.is("image"):
		s := flags("", "", "").scan(g.rest[3:], true)
		step := Step{Kind: SetImage, Tool: "kustomize edit set image", Paths: []Value{Lit(".")}}
		for _, w := range s.posWords() {
			name, image := kustomizeImage(w)
			step.Names = append(step.Names, name)
			step.Images = append(step.Images, image)
		}
		if s.unsure == 0 && len(step.Images) > 0 {
			p.emit(step, c, args[0])
		}
	}
	return nil
}

// kustomizeImage reads an argument of kustomize edit set image:
// NAME=NEWNAME:TAG, NAME=NEWNAME@DIGEST, NAME=*:TAG (keep the name) or
// NAME:TAG (the image named NAME). It returns the name replaced and the
// image set.
func kustomizeImage(w Word) (name, image Value) {
	if name, rhs, ok := w.cut("="); ok {
		if keep, ok := rhs.cutPrefix("*"); ok {
			return name, Concat(name, keep)
		}
		return name, rhs
	}
	return imageName(w), w
}

// imageName returns the name of an image reference without its tag or
// digest, nil when a run-time part may hold them.
func imageName(w Word) Value {
	if t, ok := w.Literal(); ok {
		ref, err := reference.Parse(t)
		if named, isNamed := ref.(reference.Named); err == nil && isNamed {
			return Lit(named.Name())
		}
		return nil
	}
	last := w[len(w)-1]
	if !last.literal() {
		return nil
	}
	t := last.Text
	i := strings.IndexByte(t, '@')
	if i < 0 {
		i = strings.LastIndexByte(t, ':')
		if i < 0 || strings.Contains(t[i:], "/") {
			return nil
		}
	}
	return Concat(w[:len(w)-1], Lit(t[:i]))
}

// make recognises make [-C DIR] [-f FILE] TARGET... NAME=VALUE...
func (p *parser) make(args []arg, c ctx) {
	s := makeFlags.scan(jobsCount(args[1:]), true)
	if s.unsure > 0 || s.has("-n", "--just-print", "--dry-run", "--recon", "-q", "--question", "-t", "--touch",
		"-p", "--print-data-base", "-v", "--version") {
		return
	}
	m := &MakeArgs{Vars: map[string]Value{}, Dir: s.last("-C", "--directory"), File: s.last("-f", "--file", "--makefile")}
	for _, a := range s.pos {
		name, value, isVar := a.w.cut("=")
		n, lit := name.Literal()
		switch {
		case isVar && lit:
			n = strings.TrimRight(n, ":") // NAME:=VALUE, NAME::=VALUE
			if validMakeVar(n) {
				m.Vars[n] = value
			}
		case isVar || !lit:
			return // a run-time target or variable name
		default:
			m.Targets = append(m.Targets, n)
		}
	}
	m.Env = envValues(c.env)
	tool := strings.TrimSpace("make " + strings.Join(m.Targets, " "))
	p.emit(Step{Kind: Make, Tool: tool, Make: m}, c, args[0])
}

var makeFlags = flags("C directory f file makefile I include-dir o old-file assume-old W what-if new-file assume-new eval",
	"b m B always-make d e environment-overrides i ignore-errors k keep-going L check-symlink-times n just-print "+
		"dry-run recon p print-data-base q question r no-builtin-rules R no-builtin-variables s silent quiet S "+
		"no-keep-going stop t touch trace v version w print-directory no-print-directory warn-undefined-variables",
	"j jobs l load-average max-load O output-sync debug jobserver-auth jobserver-style shuffle")

// jobsCount drops the count after a bare -j or -l, which make takes when
// the next word is a number.
func jobsCount(args []arg) []arg {
	out := make([]arg, 0, len(args))
	for i := 0; i < len(args); i++ {
		out = append(out, args[i])
		t, _ := args[i].w.Literal()
		switch t {
		case "-j", "--jobs", "-l", "--load-average", "--max-load":
			if i+1 < len(args) && isNumber(args[i+1].w) {
				i++
			}
		}
	}
	return out
}

func isNumber(w Word) bool {
	t, ok := w.Literal()
	return ok && t != "" && strings.Trim(t, "0123456789.") == ""
}

// validMakeVar reports whether n names a variable make sets from the
// command line: NAME+=, NAME?= and NAME!= do not set it whole.
func validMakeVar(n string) bool {
	return n != "" && !strings.ContainsAny(n, " \t#:+?!$()")
}

// ko recognises ko build, apply, create and resolve.
func (p *parser) ko(args []arg, c ctx) *output {
	g := koGlobal.scan(args[1:], false)
	if g.unsure > 0 || len(g.rest) == 0 {
		return nil
	}
	sub, _ := g.rest[0].w.Literal()
	at := args[0]
	switch sub {
	case "build", "publish":
		s := koBuild.scan(g.rest[1:], true)
		if s.unsure == 0 {
			p.emit(Step{Kind: Build, Tool: "ko " + sub, Paths: s.posWords()}, c, at)
		}
	case "apply", "create":
		s := koApply.scan(g.rest[1:], true)
		if !dryRun(&s) {
			p.apply("ko "+sub, &s, c, at)
		}
	case "resolve":
		s := koApply.scan(g.rest[1:], true)
		p.emit(Step{Kind: Build, Tool: "ko resolve"}, c, at)
		var files []Word
		for _, f := range s.values("-f", "--filename") {
			files = append(files, f.splitCommas()...)
		}
		if len(files) > 0 && c.out == nil {
			return &output{kind: outKo, paths: files}
		}
	}
	return nil
}

// goValueFlags are the go test flags (of go build and of the test binary)
// that take the next word as their value.
var goValueFlags = names("run bench benchtime count covermode coverpkg coverprofile cpu exec list o p parallel timeout tags " +
	"mod modfile ldflags gcflags asmflags skip shuffle fuzz fuzztime fuzzminimizetime blockprofile blockprofilerate cpuprofile " +
	"memprofile memprofilerate mutexprofile mutexprofilefraction outputdir trace vet C overlay pgo toolexec")

// goTest emits the GoTest step of go test: its relative package patterns
// and its environment.
func (p *parser) goTest(args []arg, c ctx) {
	if len(args) < 2 {
		return
	}
	if sub, ok := args[1].w.Literal(); !ok || sub != "test" {
		return
	}
	g := &GoTestArgs{Env: envValues(c.env)}
	for i := 2; i < len(args); i++ {
		t, lit := args[i].w.Literal()
		switch {
		case lit && (t == "-args" || t == "--args"):
			for _, a := range args[i+1:] {
				g.Args = append(g.Args, a.w)
			}
			i = len(args)
		case lit && strings.HasPrefix(t, "-"):
			g.Args = append(g.Args, args[i].w)
			name := "--" + strings.TrimLeft(t, "-")
			if len(name) == 3 {
				name = name[1:] // -o, -p, -C
			}
			if !strings.Contains(t, "=") && goValueFlags[name] && i+1 < len(args) {
				i++
				g.Args = append(g.Args, args[i].w)
			}
		case lit && (t == "." || strings.HasPrefix(t, "./") || strings.HasPrefix(t, "../")):
			g.Packages = append(g.Packages, args[i].w)
		default:
			g.Args = append(g.Args, args[i].w)
		}
	}
	p.emit(Step{Kind: GoTest, Tool: "go test", GoTest: g}, c, args[0])
}
