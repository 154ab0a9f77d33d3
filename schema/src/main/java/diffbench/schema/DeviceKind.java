package diffbench.schema;

/** Where the cell runs; the constant's name is its CSV id, and the declaration order its display order. */
public enum DeviceKind implements CellTerm {
    cpu, gpu;

    @Override
    public String id() {
        return name();
    }

    public static DeviceKind fromId(String id) {
        return CellTerm.fromId(DeviceKind.class, "device", id);
    }
}
