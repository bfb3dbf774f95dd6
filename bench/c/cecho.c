/*
 * The smallest epoll echo server: one thread, level-triggered, TCP_NODELAY, read then write back.
 * bench.py measures it with the same load generator as tcpfleet and Go, so the ping-pong ceiling of
 * that client is known (sockperf's ceiling uses sockperf's own client). Usage: cecho PORT (127.0.0.1).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[65536];

/* Echoes what one read brings; false when the connection is done (EOF or an error). */
static int echo(int fd) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
        return 0;
    }
    for (ssize_t off = 0; off < n;) {  /* spins on EAGAIN while the send buffer is full: ping-pong never fills it */
        ssize_t w = write(fd, buf + off, n - off);
        if (w > 0) {
            off += w;
        } else if (errno != EAGAIN) {
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: cecho PORT\n");
        return 2;
    }
    int one = 1, listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 1024)) {
        perror("cecho: listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener}, ready[64];
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    for (;;) {
        int n = epoll_wait(ep, ready, 64, -1);
        for (int i = 0; i < n; i++) {
            int fd = ready[i].data.fd, conn;
            if (fd != listener) {
                if (!echo(fd)) {
                    close(fd);
                }
                continue;
            }
            while ((conn = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct epoll_event cev = {.events = EPOLLIN, .data.fd = conn};
                epoll_ctl(ep, EPOLL_CTL_ADD, conn, &cev);
            }
        }
    }
}
