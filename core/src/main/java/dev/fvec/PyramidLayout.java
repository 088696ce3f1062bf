package dev.fvec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A spatial-pyramid layout (SPEC.md, "Spatial layout"): a list of grids {@code RxC}, {@code R}
 * rows by {@code C} columns ({@code 3x1} is three horizontal stripes). Cells are numbered grid by
 * grid in the order given, and within a grid in row-major order, top-left first: cell
 * {@code r * C + c} of grid {@code g} is cell {@code cellBase(g) + r * C + c} of the layout.
 *
 * <p>A descriptor at {@code (x, y)} in an image {@code W x H} lies in row {@code r}, the largest
 * {@code r < R} with {@code r * H <= R * y}, and column {@code c}, the largest {@code c < C} with
 * {@code c * W <= C * x}, compared exactly; so a descriptor on a border belongs to the cell below
 * or to the right of it.
 *
 * <h2>Atoms</h2>
 * The grids' borders cut the image into <i>atoms</i>: the regions whose points lie in the same cell
 * of every grid ({@code 1x1,2x2,3x1}: 4 row bands x 2 column bands = 8 atoms). Each descriptor lies
 * in exactly one atom, so an encoder accumulates it once, into its atom, and each cell's statistics
 * are the sum of its atoms' ({@link #cellAtoms(int)}): one posterior evaluation per descriptor
 * whatever the number of cells. A row band is identified by {@code sum_g r_g}, which grows with
 * {@code y} (each {@code r_g} is non-decreasing in {@code y}), so distinct bands have distinct sums;
 * likewise for columns.
 *
 * <p>Immutable and thread-safe.
 */
public final class PyramidLayout {

    /** The most rows or columns of one grid. */
    public static final int MAX_DIVISIONS = 1024;
    /** The most cells of a layout. */
    public static final int MAX_CELLS = 1 << 16;
    /** The most atoms of a layout (the product of its row bands and column bands). */
    public static final int MAX_ATOMS = 1 << 16;

    /** The single-cell layout {@code 1x1}: the whole image, as a plain Fisher vector. */
    public static final PyramidLayout WHOLE = of(new int[] {1}, new int[] {1});

    private final int[] rows;
    private final int[] cols;
    private final int[] cellBase; // grids + 1
    private final int rowBands;
    private final int colBands;
    private final int[] rowBandOfSum; // sum_g r_g -> row band
    private final int[] colBandOfSum; // sum_g c_g -> column band
    private final int[][] bandRows; // [row band][grid] -> r_g
    private final int[][] bandCols; // [column band][grid] -> c_g
    private final int[][] cellAtoms; // [cell] -> its atoms, ascending

    private PyramidLayout(int[] rows, int[] cols) {
        this.rows = rows;
        this.cols = cols;
        int g = rows.length;
        cellBase = new int[g + 1];
        for (int i = 0; i < g; i++) {
            cellBase[i + 1] = cellBase[i] + rows[i] * cols[i];
        }
        rowBandOfSum = new int[sumMinusOne(rows) + 1];
        colBandOfSum = new int[sumMinusOne(cols) + 1];
        bandRows = bands(rows, rowBandOfSum);
        bandCols = bands(cols, colBandOfSum);
        rowBands = bandRows.length;
        colBands = bandCols.length;
        long atoms = (long) rowBands * colBands;
        if (atoms > MAX_ATOMS) {
            throw new IllegalArgumentException("layout " + describe(rows, cols) + " cuts the image into " + atoms
                    + " regions, more than the " + MAX_ATOMS + " supported");
        }
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < cellBase[g]; c++) {
            lists.add(new ArrayList<>());
        }
        for (int a = 0; a < atoms; a++) {
            for (int i = 0; i < g; i++) {
                lists.get(cellOf(i, a)).add(a);
            }
        }
        cellAtoms = new int[cellBase[g]][];
        for (int c = 0; c < cellAtoms.length; c++) {
            cellAtoms[c] = lists.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static int sumMinusOne(int[] divisions) {
        int s = 0;
        for (int r : divisions) {
            s += r - 1;
        }
        return s;
    }

    /**
     * Sweeps the borders {@code r / R_g} ({@code 0 < r < R_g}) in increasing order, equal fractions
     * together; each distinct border starts a new band. Fills {@code bandOfSum} and returns each
     * band's index per grid.
     */
    private static int[][] bands(int[] divisions, int[] bandOfSum) {
        int g = divisions.length;
        List<int[]> borders = new ArrayList<>(); // {r, R, grid}
        for (int i = 0; i < g; i++) {
            for (int r = 1; r < divisions[i]; r++) {
                borders.add(new int[] {r, divisions[i], i});
            }
        }
        borders.sort((p, q) -> Long.compare((long) p[0] * q[1], (long) q[0] * p[1]));
        Arrays.fill(bandOfSum, -1);
        List<int[]> out = new ArrayList<>();
        int[] tuple = new int[g];
        int sum = 0;
        out.add(tuple.clone());
        bandOfSum[0] = 0;
        for (int b = 0; b < borders.size(); ) {
            int[] first = borders.get(b);
            while (b < borders.size() && (long) borders.get(b)[0] * first[1] == (long) first[0] * borders.get(b)[1]) {
                tuple[borders.get(b)[2]]++;
                sum++;
                b++;
            }
            bandOfSum[sum] = out.size();
            out.add(tuple.clone());
        }
        return out.toArray(new int[0][]);
    }

    /**
     * The layout of {@code rows[g] x cols[g]} grids.
     *
     * @param rows rows {@code R} of each grid, each in {@code [1, MAX_DIVISIONS]}
     * @param cols columns {@code C} of each grid, as many as {@code rows}
     * @return the layout
     * @throws IllegalArgumentException if a grid is empty or too fine, the lists differ in length or
     *     are empty, or the layout has too many cells
     */
    public static PyramidLayout of(int[] rows, int[] cols) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(cols, "cols");
        if (rows.length != cols.length) {
            throw new IllegalArgumentException("a layout needs as many row counts as column counts, got "
                    + rows.length + " and " + cols.length);
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("a layout needs at least one grid");
        }
        long cells = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 1 || cols[i] < 1 || rows[i] > MAX_DIVISIONS || cols[i] > MAX_DIVISIONS) {
                throw new IllegalArgumentException("grid " + rows[i] + "x" + cols[i]
                        + ": rows and columns must be in [1, " + MAX_DIVISIONS + "]");
            }
            cells += (long) rows[i] * cols[i];
        }
        if (cells > MAX_CELLS) {
            throw new IllegalArgumentException("layout " + describe(rows, cols) + " has " + cells
                    + " cells, more than the " + MAX_CELLS + " supported");
        }
        return new PyramidLayout(rows.clone(), cols.clone());
    }

    /**
     * Parses a layout written as comma-separated grids {@code RxC}, e.g. {@code "1x1,2x2,3x1"}
     * (spaces around items allowed).
     *
     * @param spec the layout
     * @return the layout
     * @throws IllegalArgumentException naming the item that is not a grid {@code RxC} of positive
     *     integers, or as {@link #of}
     */
    public static PyramidLayout parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String[] items = spec.split(",", -1);
        int[] r = new int[items.length];
        int[] c = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            int x = item.indexOf('x');
            if (x < 0) {
                x = item.indexOf('X');
            }
            int rv = x > 0 ? positive(item.substring(0, x)) : -1;
            int cv = x > 0 ? positive(item.substring(x + 1)) : -1;
            if (rv < 1 || cv < 1) {
                throw new IllegalArgumentException("pyramid grid '" + item + "' in '" + spec
                        + "' is not RxC with R, C in [1, " + MAX_DIVISIONS + "] (e.g. 1x1,2x2,3x1)");
            }
            r[i] = rv;
            c[i] = cv;
        }
        return of(r, c);
    }

    /** The value of a string of 1 to 4 digits, or -1. */
    private static int positive(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v <= MAX_DIVISIONS ? v : -1;
    }

    /** @return the number of grids */
    public int grids() {
        return rows.length;
    }

    /**
     * @param grid a grid index
     * @return its rows {@code R}
     */
    public int rows(int grid) {
        return rows[Objects.checkIndex(grid, rows.length)];
    }

    /**
     * @param grid a grid index
     * @return its columns {@code C}
     */
    public int columns(int grid) {
        return cols[Objects.checkIndex(grid, cols.length)];
    }

    /**
     * @param grid a grid index
     * @return the layout's index of the grid's first cell
     */
    public int cellBase(int grid) {
        return cellBase[Objects.checkIndex(grid, rows.length)];
    }

    /** @return the number of cells, {@code sum_g R_g C_g} */
    public int cells() {
        return cellBase[rows.length];
    }

    /** @return the number of atoms (regions in the same cell of every grid); see the class comment */
    public int atoms() {
        return rowBands * colBands;
    }

    /**
     * The atom of a position, by SPEC.md's exact rule. The caller has checked
     * {@code 0 <= x <= width}, {@code 0 <= y <= height}.
     *
     * @param x column position in pixels
     * @param y row position in pixels
     * @param width image width {@code W}
     * @param height image height {@code H}
     * @return the atom, in {@code [0, atoms())}
     */
    public int atomOf(float x, float y, int width, int height) {
        int rs = 0;
        int cs = 0;
        for (int g = 0; g < rows.length; g++) {
            rs += index(rows[g], y, height);
            cs += index(cols[g], x, width);
        }
        return rowBandOfSum[rs] * colBands + colBandOfSum[cs];
    }

    /**
     * The cell of a position in grid {@code grid}, within that grid ({@code r * C + c}).
     *
     * @param grid a grid index
     * @param x column position in pixels
     * @param y row position in pixels
     * @param width image width {@code W}
     * @param height image height {@code H}
     * @return {@code r * C + c}
     */
    public int cellInGrid(int grid, float x, float y, int width, int height) {
        return index(rows[grid], y, height) * cols[grid] + index(cols[grid], x, width);
    }

    /**
     * The largest {@code i < n} with {@code i * size <= n * v}, for {@code 0 <= v <= size}: exact,
     * since {@code n * v} (a float times an integer below 2^11) and {@code i * size} are exact in double.
     */
    static int index(int n, float v, int size) {
        double nv = (double) n * v;
        int i = (int) Math.min(n - 1, Math.max(0, Math.floor(nv / size)));
        while (i > 0 && (double) i * size > nv) {
            i--;
        }
        while (i + 1 < n && (double) (i + 1) * size <= nv) {
            i++;
        }
        return i;
    }

    /**
     * The cell of atom {@code atom} in grid {@code grid}, as an index of the layout.
     *
     * @param grid a grid index
     * @param atom an atom
     * @return {@code cellBase(grid) + r * C + c}
     */
    public int cellOf(int grid, int atom) {
        int rb = atom / colBands;
        int cb = atom % colBands;
        return cellBase[grid] + bandRows[rb][grid] * cols[grid] + bandCols[cb][grid];
    }

    /**
     * The atoms that make up a cell.
     *
     * @param cell a cell of the layout
     * @return its atoms, ascending (a copy)
     */
    public int[] cellAtoms(int cell) {
        return cellAtoms[Objects.checkIndex(cell, cellAtoms.length)].clone();
    }

    int[] cellAtomsShared(int cell) {
        return cellAtoms[cell];
    }

    private static String describe(int[] rows, int[] cols) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            sb.append(i == 0 ? "" : ",").append(rows[i]).append('x').append(cols[i]);
        }
        return sb.toString();
    }

    /** @return the layout as {@link #parse} reads it, e.g. {@code "1x1,2x2,3x1"} */
    @Override
    public String toString() {
        return describe(rows, cols);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyramidLayout && Arrays.equals(((PyramidLayout) o).rows, rows)
                && Arrays.equals(((PyramidLayout) o).cols, cols);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rows) + Arrays.hashCode(cols);
    }
}
