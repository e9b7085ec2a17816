// Package options installs the chart with the helm SDK, its values given as
// helm's command line would: a values.Options merged into the values map.
package options

import (
	"context"
	"os/exec"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
)

const (
	repository = "localhost/app"
	tag        = "e2e"
)

func buildAndLoad(ctx context.Context) error {
	if err := exec.CommandContext(ctx, "docker", "build", "-t", repository+":"+tag, "../../app").Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kind", "load", "docker-image", repository+":"+tag).Run()
}

// TestInstallsBuiltImage passes the image it built: correct.
func TestInstallsBuiltImage(t *testing.T) {
	ctx := context.Background()
	if err := buildAndLoad(ctx); err != nil {
		t.Fatal(err)
	}
	settings := cli.New()
	chrt, err := loader.Load("../../charts/app")
	if err != nil {
		t.Fatal(err)
	}
	opts := &values.Options{
		Values:       []string{"image.repository=" + repository, "replicaCount=1"},
		StringValues: []string{"image.tag=" + tag},
	}
	vals, err := opts.MergeValues(getter.All(settings))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := action.NewInstall(new(action.Configuration)).Run(chrt, vals); err != nil {
		t.Fatal(err)
	}
}

// TestUnknownKey misspells the chart's key: helm ignores it and the chart's
// default registry image runs.
func TestUnknownKey(t *testing.T) {
	ctx := context.Background()
	if err := buildAndLoad(ctx); err != nil {
		t.Fatal(err)
	}
	chrt, err := loader.Load("../../charts/app")
	if err != nil {
		t.Fatal(err)
	}
	opts := values.Options{Values: []string{"app.image.repository=" + repository, "app.image.tag=" + tag}} // want `sets app\.image\.repository, which chart "\.\./\.\./charts/app" does not have` `sets app\.image\.tag, which chart`
	vals, err := opts.MergeValues(getter.All(cli.New()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := action.NewInstall(new(action.Configuration)).Run(chrt, vals); err != nil {
		t.Fatal(err)
	}
}

// TestNoImage loads the image, then installs without it.
func TestNoImage(t *testing.T) {
	ctx := context.Background()
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "localhost/worker:e2e").Run(); err != nil { // want `"localhost/worker:e2e" is loaded here but never deployed, while this flow deploys with helm install`
		t.Fatal(err)
	}
	chrt, err := loader.Load("../../charts/app")
	if err != nil {
		t.Fatal(err)
	}
	opts := &values.Options{Values: []string{"replicaCount=2"}}
	vals, err := opts.MergeValues(getter.All(cli.New()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := action.NewInstall(new(action.Configuration)).Run(chrt, vals); err != nil {
		t.Fatal(err)
	}
}

// TestValuesFromElsewhere installs with sets it builds at run time: they
// may hold the image, so nothing is reported.
func TestValuesFromElsewhere(t *testing.T) {
	ctx := context.Background()
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "localhost/worker:e2e").Run(); err != nil {
		t.Fatal(err)
	}
	chrt, err := loader.Load("../../charts/app")
	if err != nil {
		t.Fatal(err)
	}
	sets := []string{"replicaCount=2"}
	sets = append(sets, "image.tag=e2e")
	opts := &values.Options{Values: sets}
	vals, err := opts.MergeValues(getter.All(cli.New()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := action.NewInstall(new(action.Configuration)).Run(chrt, vals); err != nil {
		t.Fatal(err)
	}
}
