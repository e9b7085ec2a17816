// Package env stands in for e2e-framework's.
package env

import "sigs.k8s.io/e2e-framework/pkg/types"

type Environment = types.Environment

func New() types.Environment { return nil }
