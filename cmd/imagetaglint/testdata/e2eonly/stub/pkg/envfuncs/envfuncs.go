// Package envfuncs stands in for e2e-framework's.
package envfuncs

import "sigs.k8s.io/e2e-framework/pkg/types"

func LoadImageToCluster(name, image string, args ...string) types.EnvFunc { return nil }
