/*
 * The smallest epoll relay, the ceiling of the load generator's client for what tcpfleet serves:
 *   crelay PORT            an echo server: each connection's bytes go back to it;
 *   crelay PORT UPSTREAM   a proxy: each connection gets its own connection to 127.0.0.1:UPSTREAM,
 *                          and the bytes of either go to the other.
 * One thread, level-triggered epoll, TCP_NODELAY, read then write to the peer, nothing else (no
 * half-close, no back-pressure: a write that would block spins, and neither ping-pong nor the
 * bounded pipelined load fills a send buffer). bench.py measures it with the same client as
 * tcpfleet and Go; sockperf's ceiling comes with sockperf's own client. Listens on 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 65536

static char buf[65536];
static int peer[MAX_FDS]; /* where a connection's bytes go: itself (echo) or its other side (proxy) */

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    return addr;
}

/* Moves what one read brings to the peer; false when the connection is done (EOF or an error). */
static int relay(int fd) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
        return 0;
    }
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(peer[fd], buf + off, n - off);
        if (w > 0) {
            off += w;
        } else if (errno != EAGAIN) {
            return 0;
        }
    }
    return 1;
}

static void watch(int ep, int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* Pairs an accepted connection with its peer: itself, or a new upstream connection. */
static int pair(int ep, int conn, int upstream_port) {
    int up = conn;
    if (upstream_port) {
        struct sockaddr_in addr = loopback(upstream_port);
        up = socket(AF_INET, SOCK_STREAM, 0); /* a blocking connect: on loopback it is done at once */
        if (up < 0 || up >= MAX_FDS || connect(up, (struct sockaddr *)&addr, sizeof addr)
                || fcntl(up, F_SETFL, O_NONBLOCK)) {
            perror("crelay: upstream");
            if (up >= 0) {
                close(up);
            }
            return 0;
        }
        watch(ep, up);
    }
    peer[conn] = up;
    peer[up] = conn;
    watch(ep, conn);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: crelay PORT [UPSTREAM_PORT]\n");
        return 2;
    }
    int upstream_port = argc == 3 ? atoi(argv[2]) : 0;
    int one = 1, listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in addr = loopback(atoi(argv[1]));
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 1024)) {
        perror("crelay: listen");
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
                if (peer[fd] >= 0 && !relay(fd)) {
                    int other = peer[fd];
                    peer[fd] = peer[other] = -1;
                    close(fd);
                    if (other != fd) {
                        close(other);
                    }
                }
                continue;
            }
            while ((conn = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                if (conn >= MAX_FDS || !pair(ep, conn, upstream_port)) {
                    close(conn);
                }
            }
        }
    }
}
