// argocd-health: runs Argo CD health checks in gopher-lua as Argo CD v3 does, for
// deploy/argocd/resource_customizations; built by ../build.sh. gopher-lua and gopher-json are
// the versions argoproj/argo-cd v3's go.mod requires.
module tcpfleet.io/e2e/tools/argocd-health

go 1.26.0

require (
	github.com/yuin/gopher-lua v1.1.2
	layeh.com/gopher-json v0.0.0-20190114024228-97fed8db8427
	sigs.k8s.io/yaml v1.6.0
)

require go.yaml.in/yaml/v2 v2.4.2 // indirect
