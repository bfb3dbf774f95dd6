module tcpfleet.io/e2e/goecho

go 1.22
