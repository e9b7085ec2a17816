// Package v1 is a minimal stand-in for k8s.io/apimachinery/pkg/apis/meta/v1:
// only the types the imagetaglint test packages use, with the real field
// names, types and JSON tags.
package v1

// TypeMeta describes an individual object in an API response or request.
type TypeMeta struct {
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// ObjectMeta is metadata that all persisted resources must have.
type ObjectMeta struct {
	Name        string            `json:"name,omitempty"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// LabelSelector is a label query over a set of resources.
type LabelSelector struct {
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}
