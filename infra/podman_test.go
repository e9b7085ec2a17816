package infra

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestPodmanBuildSaveArchiveCarriesTag builds a real image with podman
// through BuildAndLoadImageToKind and checks that the archive handed to
// "kind load" carries exactly the reference returned: what Kind imports is
// what gets deployed. Only Kind is stubbed, by a one-node cluster whose
// node has what the archive carried; podman must work where it is
// installed, so a podman failure fails the test.
func TestPodmanBuildSaveArchiveCarriesTag(t *testing.T) {
	if _, err := exec.LookPath("podman"); err != nil {
		t.Skip("podman is not on PATH; install podman to run the real build test")
	}
	isolatePodman(t)
	ctx := t.Context()
	stub := &kindStub{t: t, node: "no-cluster-control-plane"}
	img, err := BuildAndLoadImageToKind(ctx, E2EImageConfig{
		Infrastructure: "imagetaglint/tiny",
		Consumer:       t.Name(),
		Source:         staticBinarySource(t),
		ClusterName:    "no-cluster",
		Engine:         "podman",
		Runner:         stub,
	}, t.Output())
	if err != nil {
		t.Fatal(err)
	}
	checkGrammar(t, img.String())
	if want := []string{img.String()}; !slices.Equal(stub.repoTags, want) {
		t.Fatalf("archive RepoTags = %q, want %q", stub.repoTags, want)
	}
	if !slices.Equal(stub.inspected, []string{img.String()}) {
		t.Errorf("the node was asked for %q, want only %s", stub.inspected, img)
	}
	if err := (ExecRunner{}).Run(ctx, t.Output(), t.Output(), "podman", "image", "exists", img.String()); err != nil {
		t.Fatalf("podman image exists %s: %v", img, err)
	}
}

// isolatePodman points podman at a store and run directories of the test's
// own, through the CONTAINERS_CONF and CONTAINERS_STORAGE_CONF variables
// that ExecRunner's commands inherit. That makes the test leave the
// machine's images alone and work on a fresh "apt-get install podman" as
// root, including inside a container: vfs needs no overlay support,
// cgroupfs no systemd, and a file event log no journald.
func isolatePodman(t *testing.T) {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	write := func(name, content string) {
		if err := os.WriteFile(path(name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("storage.conf", fmt.Sprintf("[storage]\ndriver = \"vfs\"\ngraphroot = %q\nrunroot = %q\n",
		path("root"), path("run")))
	write("containers.conf", fmt.Sprintf("[engine]\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\nevents_logfile_path = %q\ntmp_dir = %q\n\n[network]\nnetwork_config_dir = %q\n",
		path("events.log"), path("tmp"), path("networks")))
	t.Setenv("CONTAINERS_STORAGE_CONF", path("storage.conf"))
	t.Setenv("CONTAINERS_CONF", path("containers.conf"))
}

// kindStub runs every command with ExecRunner except those of a Kind
// cluster with one node. It answers "kind load image-archive FILE" by
// reading the RepoTags of FILE: the archive is what Kind would import, so
// its tags are what the node gets, and what "crictl inspecti" in the node
// then finds.
type kindStub struct {
	t         *testing.T
	node      string
	repoTags  []string
	inspected []string
}

func (k *kindStub) Run(ctx context.Context, stdout, stderr io.Writer, name string, args ...string) error {
	switch {
	case name == "kind" && len(args) >= 2 && args[0] == "get" && args[1] == "nodes":
		_, err := io.WriteString(stdout, k.node+"\n")
		return err
	case name == "kind" && len(args) >= 3 && slices.Equal(args[:2], []string{"load", "image-archive"}):
		k.repoTags = archiveRepoTags(k.t, args[2])
		return nil
	case name == "kind":
		k.t.Fatalf("unexpected kind command %q", args)
	case len(args) == 5 && slices.Equal(args[:4], []string{"exec", k.node, "crictl", "inspecti"}):
		ref := args[4]
		k.inspected = append(k.inspected, ref)
		if !slices.Contains(k.repoTags, ref) {
			fmt.Fprintf(stderr, "no such image %q present\n", ref)
			return errors.New("exit status 1")
		}
		return nil
	}
	return ExecRunner{}.Run(ctx, stdout, stderr, name, args...)
}

// archiveRepoTags returns the RepoTags of a docker-archive's manifest.json.
func archiveRepoTags(t *testing.T, archive string) []string {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: no manifest.json: %v", archive, err)
		}
		if h.Name != "manifest.json" {
			continue
		}
		var manifest []struct{ RepoTags []string }
		if err := json.NewDecoder(tr).Decode(&manifest); err != nil {
			t.Fatalf("%s: manifest.json: %v", archive, err)
		}
		var tags []string
		for _, m := range manifest {
			tags = append(tags, m.RepoTags...)
		}
		return tags
	}
}
