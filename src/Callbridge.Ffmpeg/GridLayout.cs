namespace Callbridge.Ffmpeg;

/// <summary>Where tile <c>i</c> of <c>n</c> goes on a canvas: as square a grid as fits, filled row by row.</summary>
public readonly record struct GridTile(int X, int Y, int Width, int Height);

public static class GridLayout
{
    public static IReadOnlyList<GridTile> Tiles(int count, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return [];
        int columns = (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + columns - 1) / columns;
        // VP8 and yuv420p need even sizes.
        int tileWidth = width / columns / 2 * 2;
        int tileHeight = height / rows / 2 * 2;
        var tiles = new GridTile[count];
        for (int i = 0; i < count; i++) tiles[i] = new GridTile(i % columns * tileWidth, i / columns * tileHeight, tileWidth, tileHeight);
        return tiles;
    }
}
