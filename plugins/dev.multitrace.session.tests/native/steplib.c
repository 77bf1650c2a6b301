// shared:
/* A shared library with line information whose function a program calls through its PLT stub. */
int lib_twice(int x) {
    int y = x * 2; /* MARK:lib-body */
    return y;
}
