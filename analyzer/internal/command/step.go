package command

// Kind is what a step does with images.
type Kind int

const (
	// Build builds Images (the -t values; none for ko) from the context in Paths.
	Build Kind = iota + 1
	// Tag re-tags an image in the host engine: Images is [from, to].
	Tag
	// NodeTag re-tags an image in a node's containerd (ctr -n k8s.io images
	// tag): Images is [from, to].
	NodeTag
	// Load puts images into a cluster: kind load docker-image (Images),
	// kind load image-archive or ctr images import (Paths: the archive;
	// Images: when the archive comes from a docker save in the same pipe).
	Load
	// HostLoad loads an archive (Paths) into the host engine: docker load.
	HostLoad
	// Save writes Images to an archive (Paths; none when written to a pipe).
	Save
	// Push pushes Images (podman: and its destination) to a registry.
	Push
	// Apply applies manifest files (Paths) or an inline manifest (Inline).
	Apply
	// ApplyKustomize applies the kustomizations in Paths.
	ApplyKustomize
	// SetImage sets Images on a workload or a kustomization, replacing Names.
	SetImage
	// Helm installs, upgrades or renders a chart: see Helm.
	Helm
	// Make runs make targets: see Make.
	Make
	// RunScript runs (or sources) the script file in Paths: see Script.
	RunScript
	// GoTest runs go test: see GoTest. No image step, but where a suite
	// runs and with which environment.
	GoTest
)

var kindNames = [...]string{
	Build: "Build", Tag: "Tag", NodeTag: "NodeTag", Load: "Load", HostLoad: "HostLoad",
	Save: "Save", Push: "Push", Apply: "Apply", ApplyKustomize: "ApplyKustomize",
	SetImage: "SetImage", Helm: "Helm", Make: "Make", RunScript: "RunScript", GoTest: "GoTest",
}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Step is one image step of a command line.
type Step struct {
	Kind Kind
	// Tool names the command for messages: "podman build",
	// "kind load docker-image", "kustomize build | kubectl apply", "make deploy".
	Tool string
	// Images: Build: the -t values; Load: the images; Tag, NodeTag: [from, to];
	// Save, Push: the images; SetImage: the new images.
	Images []Value
	// Names: SetImage: what each image replaces, index for index (kustomize
	// NAME, kubectl CONTAINER); a nil entry when it cannot be told. None for
	// kubectl run and create deployment, which replace nothing.
	Names []Value
	// Paths: Build: the context; Apply: the -f paths ("-" for the command's
	// stdin, an Unknown "-" for a pipe from an unrecognised command);
	// ApplyKustomize: the directories; Load, HostLoad, Save: the archive;
	// SetImage by kustomize: "." (the kustomization in Dir).
	Paths []Value
	// Inline: Apply: the manifest fed by a here-document or here-string.
	Inline Value
	// Cluster: kind --name, or KIND_CLUSTER_NAME; nil for kind's default.
	Cluster Value
	// Node: NodeTag and Load run inside a node: the container of docker exec.
	Node Value
	// Dir: the directory a script changed to (cd) before the step, relative
	// to the command's own directory unless absolute; nil when unchanged.
	Dir    Value
	Helm   *HelmArgs
	Make   *MakeArgs
	Script *ScriptArgs
	GoTest *GoTestArgs
	// Word is the index in the argv of the step's first word; for a step
	// made inside sh -c, of the script word; -1 in a script file.
	Word int
	// Offset is, inside a script, the byte offset in its source of the
	// command that made the step (of the outermost script's command, for
	// nested sh -c); run-time parts of a script word count as no bytes.
	// -1 outside a script.
	Offset int
	// File is the Name the ScriptRun.Source hook gave the sourced file the
	// step was made in (Offset is in it); "" for the script itself.
	File string
}

// HelmArgs is a helm install, upgrade or template.
type HelmArgs struct {
	// Release and Chart are nil when the command line does not tell them
	// apart (an unknown flag may have taken one).
	Release, Chart Value
	// Sets are the leaves of --set, --set-string, --set-literal and
	// --set-json, in command-line order (sorted by key within one flag).
	Sets []Set
	// Unparsed are --set values whose keys are not literal text: they may
	// set anything.
	Unparsed []Value
	// ValuesFiles are the -f/--values files, in order.
	ValuesFiles []Value
	// Installs is true for install and upgrade, and for a template piped
	// into kubectl apply; false for a bare template or a --dry-run.
	Installs bool
}

// Set is one value a --set flag gives.
type Set struct {
	// Key is the path of the value: image.tag is ["image", "tag"]; a list
	// index is "[N]"; escaped dots are unescaped.
	Key   []string
	Value Value
	// String is true for --set-string and --set-literal: the value is never
	// typed as a number or boolean.
	String bool
}

// GoTestArgs is a go test run.
type GoTestArgs struct {
	// Packages are the relative package patterns it tests ("./test/e2e",
	// "./..."), as written; other words (import paths, test flags' values)
	// are left out.
	Packages []Value
	// Args are its other words after "test": flags, theirs and the test
	// binary's, with their values, and every word after -args.
	Args []Value
	// Env is its environment as the command line and the script around it
	// set it; a nil value is set to something unknown.
	Env map[string]Value
}

// ScriptArgs is a run of a script file: bash FILE ARGS, ./FILE ARGS,
// source FILE, . FILE.
type ScriptArgs struct {
	// Shell is the shell named on the command line ("bash"); "" when the
	// file runs itself (./x.sh: its shebang decides) or is sourced.
	Shell string
	// Args are the positional parameters, $1 first.
	Args []Value
	// Env are the environment variables the command line sets or the
	// calling script exported; a nil value is set to something unknown.
	// For a sourced file, the calling script's variables, exported or not.
	Env map[string]Value
	// Sourced: source or "." runs the file in the calling shell, so what it
	// sets stays set. Reported only when no ScriptRun.Source hook read it.
	Sourced bool
}

// MakeArgs is a make run.
type MakeArgs struct {
	// Targets are the goals, in order; none means the default goal.
	Targets []string
	// Vars are the command-line variables (NAME=VALUE).
	Vars map[string]Value
	// Env are the environment variables the command line sets (env NAME=x,
	// an exported script variable): make reads them unless the Makefile
	// assigns the variable with = or :=.
	Env map[string]Value
	// Dir is -C (relative to Step.Dir), File is -f; nil when absent.
	Dir, File Value
}
