package manifest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseKustomization(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want Kustomization
	}{
		{"resources and images", `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deployment.yaml
- ../base
images:
- name: datastorage
  newName: localhost/kubernaut-datastorage
  newTag: e2e-test
- name: postgres
  digest: sha256:abc
- name: app
  tagSuffix: -e2e
`, Kustomization{
			Resources: []string{"deployment.yaml", "../base"},
			Images: []KustomizeImage{
				{Name: "datastorage", NewName: "localhost/kubernaut-datastorage", NewTag: "e2e-test", Line: 7},
				{Name: "postgres", Digest: "sha256:abc", Line: 10},
				{Name: "app", TagSuffix: "-e2e", Line: 12},
			},
		}},
		{"deprecated fields come after", "bases: [../old]\nimageTags:\n- {name: a, newTag: '1'}\nresources: [x.yaml]\nimages:\n- {name: b, newTag: 2}\n", Kustomization{
			Resources: []string{"x.yaml", "../old"},
			Images:    []KustomizeImage{{Name: "b", NewTag: "2", Line: 6}, {Name: "a", NewTag: "1", Line: 3}},
		}},
		{"json", `{"resources": ["a.yaml"], "images": [{"name": "x", "newTag": "e2e"}]}`, Kustomization{
			Resources: []string{"a.yaml"},
			Images:    []KustomizeImage{{Name: "x", NewTag: "e2e", Line: 1}},
		}},
		{"alias", "x: &imgs\n- name: a\n  newTag: t\nimages: *imgs\n", Kustomization{
			Images: []KustomizeImage{{Name: "a", NewTag: "t", Line: 2}},
		}},
		{"lines as go/token counts them", "images:\n- name: \"a\u2028\"\n- name: b\n", Kustomization{
			Images: []KustomizeImage{{Name: "a\u2028", Line: 2}, {Name: "b", Line: 3}},
		}},
		{"other fields ignored", "namePrefix: e2e-\nimages: ~\npatches: [{path: p.yaml}]\n", Kustomization{}},
		{"empty", "", Kustomization{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKustomization([]byte(tc.data))
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseKustomization = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestParseKustomizationErrors(t *testing.T) {
	for _, tc := range []struct{ data, msg string }{
		{"resources: [a\n", "did not find expected"},
		{"- a\n- b\n", "not a mapping"},
		{"resources: {a: b}\n", "resources"},
		{"images: [a, b]\n", "images"},
		{"images:\n- newTag: x\n", "line 2: an image without a name"},
		{"images: {name: a}\n", "images"},
		{"# " + strings.Repeat("x", maxSize), "more than"},
	} {
		_, err := ParseKustomization([]byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseKustomization(%.30q) error = %v, want one mentioning %q", tc.data, err, tc.msg)
		}
	}
}
