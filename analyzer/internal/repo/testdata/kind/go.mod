module sigs.k8s.io/kind

go 1.17
