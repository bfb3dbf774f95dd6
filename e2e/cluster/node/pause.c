/* The sandbox ("pause") process of the real node's pods: holds the pod's namespaces, reaps
 * orphans, exits on SIGINT/SIGTERM. Built static, so its image is this one file. */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) { _exit(128 + sig); }

static void reap(int sig) {
    (void)sig;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(void) {
    struct sigaction exit_on = {.sa_handler = stop}, reap_on = {.sa_handler = reap};
    sigaction(SIGINT, &exit_on, NULL);
    sigaction(SIGTERM, &exit_on, NULL);
    sigaction(SIGCHLD, &reap_on, NULL);
    for (;;) pause();
}
