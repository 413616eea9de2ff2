/* sd-notify MESSAGE...: sends the messages, one per line, to the socket in $NOTIFY_SOCKET
 * (what systemd-notify does, without needing systemd in the image). Built static. */
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *path = getenv("NOTIFY_SOCKET");
  if (!path || !*path) {
    fputs("sd-notify: NOTIFY_SOCKET is not set\n", stderr);
    return 1;
  }
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  size_t len = strlen(path);
  if (len >= sizeof addr.sun_path) {
    fputs("sd-notify: NOTIFY_SOCKET is too long\n", stderr);
    return 1;
  }
  memcpy(addr.sun_path, path, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0'; /* abstract socket */

  char message[4096] = "";
  for (int i = 1; i < argc; i++) {
    if (strlen(message) + strlen(argv[i]) + 2 > sizeof message) break;
    strcat(message, argv[i]);
    strcat(message, "\n");
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    perror("sd-notify: socket");
    return 1;
  }
  socklen_t addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
  if (sendto(fd, message, strlen(message), 0, (struct sockaddr *)&addr, addrlen) < 0) {
    perror("sd-notify: sendto");
    return 1;
  }
  close(fd);
  return 0;
}
