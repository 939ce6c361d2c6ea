package dev.gadget.gadgets.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CgroupPathsTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String ID2 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private static final String UID = "6a4c5b0e-3f1d-4c2a-9e8b-7d6c5b4a3f2e";
    private static final String UID_ = UID.replace('-', '_');

    @Test
    void systemdDriverKubeletPathsForEveryQosClass() {
        assertEquals(found(ContainerRuntime.CONTAINERD, ID, UID), CgroupPaths.container(
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope"));
        assertEquals(found(ContainerRuntime.CONTAINERD, ID, UID), CgroupPaths.container(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope"));
        assertEquals(found(ContainerRuntime.CONTAINERD, ID, UID), CgroupPaths.container(
                "/kubepods.slice/kubepods-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope"));
    }

    @Test
    void systemdScopesOfEachRuntime() {
        assertEquals(found(ContainerRuntime.CRIO, ID, UID), CgroupPaths.container(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID_ + ".slice/crio-" + ID + ".scope"));
        assertEquals(found(ContainerRuntime.DOCKER, ID, ""), CgroupPaths.container("/system.slice/docker-" + ID + ".scope"));
        assertEquals(found(ContainerRuntime.PODMAN, ID, ""), CgroupPaths.container("/machine.slice/libpod-" + ID + ".scope"));
    }

    @Test
    void cgroupfsDriverPathsLeaveTheRuntimeToTheState() {
        assertEquals(found(null, ID, UID), CgroupPaths.container("/kubepods/besteffort/pod" + UID + "/" + ID));
        assertEquals(found(null, ID, UID), CgroupPaths.container("/kubepods/pod" + UID + "/" + ID));
        assertEquals(found(null, ID, ""), CgroupPaths.container("/docker/" + ID));
        assertEquals(found(ContainerRuntime.PODMAN, ID, ""), CgroupPaths.container("/libpod_parent/libpod-" + ID));
    }

    @Test
    void runcSystemdStyleNamesUnderCgroupfs() {
        assertEquals(found(ContainerRuntime.CONTAINERD, ID, UID), CgroupPaths.container(
                "/kubepods-besteffort-pod" + UID_ + ".slice:cri-containerd:" + ID));
    }

    @Test
    void staticPodsHaveHashUids() {
        String hash = "d41d8cd98f00b204e9800998ecf8427e";
        assertEquals(found(null, ID, hash), CgroupPaths.container("/kubepods/burstable/pod" + hash + "/" + ID));
    }

    @Test
    void nestedCgroupsBelongToTheInnermostContainer() {
        assertEquals(found(ContainerRuntime.CONTAINERD, ID, ""), CgroupPaths.container(
                "/kubepods.slice/cri-containerd-" + ID + ".scope/init.scope/sub"));
        assertEquals(found(null, ID2, ""), CgroupPaths.container("/docker/" + ID + "/docker/" + ID2));
    }

    @Test
    void hostCgroupsConmonAndUnknownRuntimesAreNoContainer() {
        for (String path : new String[] {"/", "", "/system.slice/sshd.service", "/user.slice/user-0.slice/session-1.scope",
            "/kubepods.slice/kubepods-besteffort.slice", "/kubepods/besteffort/pod" + UID,
            "/machine.slice/libpod-conmon-" + ID + ".scope", "/kubepods.slice/crio-conmon-" + ID + ".scope",
            "/system.slice/mystery-" + ID + ".scope", "/short/0123abc", "/upper/" + ID.toUpperCase()}) {
            assertEquals(Optional.empty(), CgroupPaths.container(path), path);
        }
    }

    private static Optional<ContainerCgroup> found(ContainerRuntime runtime, String id, String podUid) {
        return Optional.of(new ContainerCgroup(Optional.ofNullable(runtime), id, podUid));
    }
}
