module imagetaglint.test/e2e

go 1.22

require (
	k8s.io/api v0.0.0
	k8s.io/apimachinery v0.0.0
)

replace (
	k8s.io/api => ./stubs/k8s.io/api
	k8s.io/apimachinery => ./stubs/k8s.io/apimachinery
)
