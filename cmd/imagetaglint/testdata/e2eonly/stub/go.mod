module sigs.k8s.io/e2e-framework

go 1.22
