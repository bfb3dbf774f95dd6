module tcpfleet.io/bench

go 1.22
