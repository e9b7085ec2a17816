package main

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/template"
)

// The operator repository: the shape of a real operator's code base, where
// most packages are controllers that import k8s.io/api/core/v1 and build
// pod specs from custom-resource fields (Image: cr.Spec.Image, env,
// resources) without any image flow, and a few are E2E suites with the
// build/load/deploy flows of the other corpora. It is built against the
// real k8s.io/api and k8s.io/apimachinery: their size is what a
// type-check of such a repository pays for.

// k8sVersion is the version of k8s.io/api and k8s.io/apimachinery the
// operator repository requires: the root module's, so that the module
// cache already holds it (and its dependencies) wherever imagetaglint
// builds, and "go get" needs no network.
const k8sVersion = "v0.35.3"

var (
	//go:embed operator/*.tmpl
	operatorFS embed.FS

	operatorTemplates = template.Must(template.ParseFS(operatorFS, "operator/*.tmpl"))

	kinds = []string{"Gateway", "Notifier", "Processor", "Analyzer", "Executor", "Orchestrator", "Toolset", "Monitor", "Webhook", "Agent"}
)

// Shapes of the operator repository's packages.
const (
	kindsPerAPI     = 4
	maxControlUnits = 3 // desired-state units of a controller, ~170 lines each
	operatorPort    = 8080
	operatorCmdName = "manager"
	apiPackageEvery = 40 // one API group per this many packages
	e2ePackageEvery = 50 // one E2E suite per this many packages (at least two)
	libPackageEvery = 10 // one ordinary package per this many
	// Of every sidecarEvery controllers, two have a published sidecar
	// image and one a local one.
	sidecarEvery, publicSidecarAt, localSidecarAt = 20, 3, 7
)

type apiGroup struct {
	Group, Path, Alias string
	Kinds              []string
}

// operatorModule writes n packages: API groups (api/groupN/v1alpha1),
// ordinary packages (lib/), E2E suites (services/), one command that
// imports every controller, and controllers (internal/controller/) for
// the rest.
func (g *generator) operatorModule(n int) error {
	gomod := fmt.Sprintf("module %s\n\ngo 1.22\n", modulePath)
	if err := g.write("go.mod", []byte(gomod)); err != nil {
		return err
	}
	if err := g.goFile("internal/infrastructure/kind.go", "infrastructure", "infrastructure.tmpl", unit{}); err != nil {
		return err
	}
	nAPI := max(1, n/apiPackageEvery)
	nE2E := max(2, n/e2ePackageEvery)
	nLib := n / libPackageEvery
	var groups []apiGroup
	for i := range nAPI {
		grp := apiGroup{
			Group: fmt.Sprintf("group%d.example.com", i),
			Path:  fmt.Sprintf("%s/api/group%d/v1alpha1", modulePath, i),
			Alias: fmt.Sprintf("group%dv1alpha1", i),
		}
		for k := range kindsPerAPI {
			grp.Kinds = append(grp.Kinds, kinds[(i+k)%len(kinds)])
		}
		if err := g.render(filepath.Join("api", fmt.Sprintf("group%d", i), "v1alpha1", "types.go"), "crd.tmpl", grp); err != nil {
			return err
		}
		g.stats.packages++
		groups = append(groups, grp)
	}
	var libs, controllers []string
	for i := range nLib {
		name := fmt.Sprintf("lib%03d", i)
		if err := g.lib(name, libs); err != nil {
			return err
		}
		libs = append(libs, name)
	}
	for i := range nE2E {
		if err := g.pkg(i, repoSuiteLines); err != nil {
			return err
		}
		if err := g.suiteCRs(i, groups[i%len(groups)]); err != nil {
			return err
		}
	}
	for i := range max(0, n-nAPI-nLib-nE2E-1) {
		name := fmt.Sprintf("ctrl%03d", i)
		if err := g.controller(name, groups[i%len(groups)], i, libs); err != nil {
			return err
		}
		controllers = append(controllers, name)
	}
	if err := g.manager(controllers); err != nil {
		return err
	}
	// The real modules come from the module cache: GOPROXY=off works.
	get := exec.Command("go", append([]string{"get"},
		"k8s.io/api/core/v1@"+k8sVersion, "k8s.io/api/apps/v1@"+k8sVersion,
		"k8s.io/apimachinery/pkg/apis/meta/v1@"+k8sVersion,
		"k8s.io/apimachinery/pkg/api/resource@"+k8sVersion,
		"k8s.io/apimachinery/pkg/util/intstr@"+k8sVersion)...)
	get.Dir = g.out
	get.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := get.CombinedOutput(); err != nil {
		return fmt.Errorf("go get in %s: %v\n%s", g.out, err, out)
	}
	return nil
}

type controllerData struct {
	Pkg, Kind, Lower, APIPath, APIAlias string
	Port                                int
	Units                               []int
	Sidecar                             string // a constant sidecar image, if any
}

// controller writes a controller package: pods and deployments derived
// from a custom resource's spec, drift detection and status, and a
// Describe over some ordinary packages.
func (g *generator) controller(name string, grp apiGroup, i int, libs []string) error {
	kind := grp.Kinds[i%len(grp.Kinds)]
	d := controllerData{
		Pkg: name, Kind: kind, Lower: strings.ToLower(kind), APIPath: grp.Path, APIAlias: grp.Alias,
		Port: operatorPort + g.rng.IntN(20),
	}
	// Some controllers add a sidecar of a constant image: a published
	// one, or, rarely, one only built locally (a hardcoded-image finding).
	switch {
	case i%sidecarEvery == localSidecarAt:
		d.Sidecar = "localhost/metrics-exporter:dev"
	case i%sidecarEvery == publicSidecarAt || i%sidecarEvery == publicSidecarAt+1:
		d.Sidecar = "quay.io/acme/metrics-exporter:v1.4.0"
	}
	for u := range 1 + g.rng.IntN(maxControlUnits) {
		d.Units = append(d.Units, u)
	}
	dir := filepath.Join("internal", "controller", name)
	if err := g.render(filepath.Join(dir, name+"_controller.go"), "controller.tmpl", d); err != nil {
		return err
	}
	g.stats.packages++
	return g.write(filepath.Join(dir, "describe.go"), describe(name, "internal/controller", g.pick(libs)))
}

// suiteCRs gives E2E suite p a constructor of a custom resource of grp, as
// suites that create the operator's resources have.
func (g *generator) suiteCRs(p int, grp apiGroup) error {
	svc := services[p%len(services)]
	pkg := fmt.Sprintf("%s%02d", strings.ToLower(svc), p/len(services))
	kind := grp.Kinds[0]
	src := fmt.Sprintf(`package %[1]s

import %[2]s %[3]q

// new%[4]s is the %[4]s a spec of this suite creates for image.
func new%[4]s(name, namespace, image string) *%[2]s.%[4]s {
	cr := &%[2]s.%[4]s{}
	cr.Name, cr.Namespace = name, namespace
	cr.Spec.Image = image
	return cr
}
`, pkg, grp.Alias, grp.Path, kind)
	return g.write(filepath.Join("services", pkg, "crs.go"), []byte(src))
}

// manager writes the command that wires every controller.
func (g *generator) manager(controllers []string) error {
	var b strings.Builder
	b.WriteString("// Command manager runs every controller of the operator.\npackage main\n\nimport (\n\t\"fmt\"\n\n")
	for _, c := range controllers {
		fmt.Fprintf(&b, "\t%q\n", modulePath+"/internal/controller/"+c)
	}
	b.WriteString(")\n\nfunc main() {\n")
	for _, c := range controllers {
		fmt.Fprintf(&b, "\tfmt.Println(%s.Describe())\n", c)
	}
	b.WriteString("}\n")
	g.stats.packages++
	return g.writeFormatted(filepath.Join("cmd", operatorCmdName, "main.go"), []byte(b.String()))
}

// render writes a whole-file operator template, gofmt'ed.
func (g *generator) render(name, tmpl string, data any) error {
	var buf bytes.Buffer
	if err := operatorTemplates.ExecuteTemplate(&buf, tmpl, data); err != nil {
		return err
	}
	return g.writeFormatted(name, buf.Bytes())
}

// writeFormatted gofmts src and writes it. A format error is a generator
// bug, so it panics with the source.
func (g *generator) writeFormatted(name string, src []byte) error {
	out, err := format.Source(src)
	if err != nil {
		panic(fmt.Sprintf("%s: %v\n%s", name, err, src))
	}
	return g.write(name, out)
}
