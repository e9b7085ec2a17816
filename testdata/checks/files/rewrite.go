package files

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"text/template"

	corev1 "k8s.io/api/core/v1"
)

// Precise rewrites: a replacement whose old side is a constant, or a
// template, leaves every line it does not touch as written.

// The namespace placeholder is replaced; the image line stays.
func SetupNamespaceReplaced(ctx context.Context, cluster, ns string) error { // want SetupNamespaceReplaced:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/namespaced.yaml") // want `os.ReadFile deploys "localhost/kubernaut/app:latest" \(testdata/namespaced.yaml:11\), not the image built and loaded \("localhost/kubernaut/app:e2e"\) \[image-mismatch\]`
	if err != nil {
		return err
	}
	content := strings.ReplaceAll(string(data), "$E2E_NS", ns)
	content = strings.ReplaceAll(content, "name: app", "name: app-e2e")
	return applyStdin(ctx, []byte(content))
}

// The same through a strings.Replacer.
func SetupNamespaceReplacer(ctx context.Context, cluster, ns string) error { // want SetupNamespaceReplacer:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/namespaced.yaml") // want `os.ReadFile deploys "localhost/kubernaut/app:latest" \(testdata/namespaced.yaml:11\), not the image built and loaded`
	if err != nil {
		return err
	}
	r := strings.NewReplacer("$E2E_NS", ns)
	return applyStdin(ctx, []byte(r.Replace(string(data))))
}

// The environment is expanded: no image line holds a "$".
func SetupExpanded(ctx context.Context, cluster string) error { // want SetupExpanded:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/namespaced.yaml") // want `os.ReadFile deploys "localhost/kubernaut/app:latest" \(testdata/namespaced.yaml:11\), not the image built and loaded`
	if err != nil {
		return err
	}
	return applyStdin(ctx, []byte(os.ExpandEnv(string(data))))
}

// A template whose image line has no action deploys that image.
func SetupTemplated(ctx context.Context, cluster, ns string) error { // want SetupTemplated:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/templated.yaml") // want `os.ReadFile deploys "localhost/kubernaut/app:latest" \(testdata/templated.yaml:11\), not the image built and loaded`
	if err != nil {
		return err
	}
	tmpl, err := template.New("app").Parse(string(data))
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]string{"Namespace": ns}); err != nil {
		return err
	}
	return applyStdin(ctx, out.Bytes())
}

// Negatives.

// Both sides of a replacer name the image line: what it deploys is not
// known.
func SetupImageReplacer(ctx context.Context, cluster, ns string) error { // want SetupImageReplacer:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/placeholder.yaml")
	if err != nil {
		return err
	}
	r := strings.NewReplacer("$E2E_NS", ns, "localhost/kubernaut/app:placeholder", image)
	return applyStdin(ctx, []byte(r.Replace(string(data))))
}

// A replacement whose old side is not a constant could touch any line.
func SetupReplacedByVariable(ctx context.Context, cluster, old string) error { // want SetupReplacedByVariable:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/namespaced.yaml")
	if err != nil {
		return err
	}
	return applyStdin(ctx, []byte(strings.ReplaceAll(string(data), old, image)))
}

// The template writes the literal image only under a condition, the
// other branch names it by an action: not known.
func SetupTemplatedImage(ctx context.Context, cluster, ns string) error { // want SetupTemplatedImage:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/templated-image.yaml")
	if err != nil {
		return err
	}
	tmpl, err := template.New("app").Parse(string(data))
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]any{"Namespace": ns, "Image": image}); err != nil {
		return err
	}
	return applyStdin(ctx, out.Bytes())
}

// Other delimiters: the parser cannot tell text from actions.
func SetupTemplatedDelims(ctx context.Context, cluster, ns string) error { // want SetupTemplatedDelims:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/templated.yaml")
	if err != nil {
		return err
	}
	tmpl, err := template.New("app").Delims("[[", "]]").Parse(string(data))
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]string{"Namespace": ns}); err != nil {
		return err
	}
	return applyStdin(ctx, out.Bytes())
}

// Of two decoded containers, which one's image is set is not known.
func SetupDecodedTwo(ctx context.Context, cluster string) error { // want SetupDecodedTwo:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/two-containers.yaml")
	if err != nil {
		return err
	}
	var pod corev1.Pod
	if err := json.Unmarshal(data, &pod); err != nil {
		return err
	}
	pod.Spec.Containers[0].Image = image
	out, err := json.Marshal(&pod)
	if err != nil {
		return err
	}
	return applyStdin(ctx, out)
}

// A template file parsed by name: its image line has no action.
func SetupTemplateFile(ctx context.Context, cluster, ns string) error { // want SetupTemplateFile:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	tmpl, err := template.ParseFiles("testdata/templated.yaml") // want `template.ParseFiles deploys "localhost/kubernaut/app:latest" \(testdata/templated.yaml:11\), not the image built and loaded`
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]string{"Namespace": ns}); err != nil {
		return err
	}
	return applyStdin(ctx, out.Bytes())
}

// Negative: the template file names the image by an action.
func SetupTemplateFileImage(ctx context.Context, cluster, ns string) error { // want SetupTemplateFileImage:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	tmpl, err := template.New("app.yaml").ParseFiles("testdata/templated-image.yaml")
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]any{"Namespace": ns, "Image": image}); err != nil {
		return err
	}
	return applyStdin(ctx, out.Bytes())
}
