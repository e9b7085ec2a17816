// Package types stands in for e2e-framework's: the names and signatures
// the knowledge table lists, with no bodies worth reading.
package types

import "context"

type EnvFunc func(ctx context.Context, cfg any) (context.Context, error)

type Environment interface {
	Setup(...EnvFunc) Environment
	Finish(...EnvFunc) Environment
}
