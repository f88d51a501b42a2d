using System.Buffers.Binary;

namespace Blog.Web.Features.Media;

/// <summary>What a walk through a file's container structure found.</summary>
public enum MediaStructure
{
    /// <summary>The picture's structure is whole and nothing follows its end.</summary>
    Whole,
    /// <summary>The file stops before the picture ends.</summary>
    Truncated,
    /// <summary>Something other than the picture follows its end (a ZIP, HTML: a polyglot).</summary>
    TrailingData,
    /// <summary>The structure is not what the format says it must be.</summary>
    Damaged,
}

/// <summary>
/// Recognises an upload by its content, never by its name or declared type: the first bytes name the format, then a
/// walk through the format's container (JPEG segments, PNG chunks, GIF blocks, the RIFF header of WebP) finds where the
/// picture ends, so a cut-off file or one with something appended is told apart from a picture.
/// </summary>
public static class MediaSniffing
{
    /// <summary>Enough of a file's start to recognise every accepted format.</summary>
    public const int HeadLength = 12;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The format the first bytes announce (a <see cref="MediaFormat"/> spelling), or null for anything else.</summary>
    public static string? FormatOf(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return MediaFormat.Jpeg;
        }
        if (head.StartsWith(PngSignature))
        {
            return MediaFormat.Png;
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return MediaFormat.Gif;
        }
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return MediaFormat.WebP;
        }
        return null;
    }

    /// <summary>Walks the file (from its start) as <paramref name="format"/> to the picture's end.</summary>
    public static MediaStructure CheckStructure(Stream file, string format)
    {
        var reader = new ByteReader(file);
        try
        {
            return format switch
            {
                MediaFormat.Jpeg => WalkJpeg(reader),
                MediaFormat.Png => WalkPng(reader),
                MediaFormat.Gif => WalkGif(reader),
                MediaFormat.WebP => WalkWebP(reader, file.Length),
                _ => MediaStructure.Damaged,
            };
        }
        catch (EndOfStreamException)
        {
            return MediaStructure.Truncated;
        }
    }

    /// <summary>
    /// Whether the bytes hold an HTML script tag anywhere (in a comment or metadata block, where a polyglot hides it
    /// from the walk). Seven fixed letters almost never occur by chance in compressed image data.
    /// </summary>
    public static bool ContainsScriptTag(Stream file)
    {
        const int overlap = 6;
        var buffer = new byte[64 * 1024];
        var carried = 0;
        int read;
        while ((read = file.Read(buffer, carried, buffer.Length - carried)) > 0)
        {
            var window = buffer.AsSpan(0, carried + read);
            for (var at = window.IndexOf((byte)'<'); at >= 0 && at + 7 <= window.Length; at = NextOpening(window, at))
            {
                if (System.Text.Ascii.EqualsIgnoreCase(window.Slice(at + 1, 6), "script"u8))
                {
                    return true;
                }
            }
            carried = Math.Min(overlap, window.Length);
            window[^carried..].CopyTo(buffer);
        }
        return false;
    }

    private static int NextOpening(ReadOnlySpan<byte> window, int at)
    {
        var next = window[(at + 1)..].IndexOf((byte)'<');
        return next < 0 ? -1 : at + 1 + next;
    }

    private static MediaStructure WalkJpeg(ByteReader reader)
    {
        var result = WalkOneJpeg(reader);
        // Phones store a second picture (a gain map, a preview) after the first one's end (the Multi-Picture Format);
        // that is still a JPEG file. Anything else after the end is not part of a picture.
        while (result == MediaStructure.Whole && reader.TryPeek(out var next))
        {
            if (next == 0x00)
            {
                return reader.RestIsZero() ? MediaStructure.Whole : MediaStructure.TrailingData;
            }
            if (next != 0xFF || !reader.Peek3IsJpegStart())
            {
                return MediaStructure.TrailingData;
            }
            result = WalkOneJpeg(reader);
        }
        return result;
    }

    private static MediaStructure WalkOneJpeg(ByteReader reader)
    {
        if (reader.ReadByte() != 0xFF || reader.ReadByte() != 0xD8)
        {
            return MediaStructure.Damaged;
        }
        var marker = NextMarker(reader);
        while (true)
        {
            if (marker < 0)
            {
                return MediaStructure.Damaged;
            }
            if (marker == 0xD9)
            {
                return MediaStructure.Whole;
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                marker = NextMarker(reader);
                continue;
            }
            var length = reader.ReadUInt16BigEndian();
            if (length < 2)
            {
                return MediaStructure.Damaged;
            }
            reader.Skip(length - 2);
            // After a scan header comes entropy-coded data, in which 0xFF is followed by 0x00 (a stuffed byte) or a
            // restart marker; any other marker ends the scan.
            marker = marker == 0xDA ? reader.SkipEntropyCodedData() : NextMarker(reader);
        }
    }

    /// <summary>The next marker's code, skipping fill bytes; -1 when the next byte does not start a marker.</summary>
    private static int NextMarker(ByteReader reader)
    {
        if (reader.ReadByte() != 0xFF)
        {
            return -1;
        }
        int code;
        while ((code = reader.ReadByte()) == 0xFF)
        {
        }
        return code == 0x00 ? -1 : code;
    }

    private static MediaStructure WalkPng(ByteReader reader)
    {
        reader.Skip(PngSignature.Length);
        var first = true;
        while (true)
        {
            var length = reader.ReadUInt32BigEndian();
            var type = reader.ReadUInt32BigEndian();
            if (length > int.MaxValue || (first && type != 0x49484452 /* IHDR */))
            {
                return MediaStructure.Damaged;
            }
            first = false;
            reader.Skip(length + 4);
            if (type == 0x49454E44 /* IEND */)
            {
                return reader.TryPeek(out _) ? MediaStructure.TrailingData : MediaStructure.Whole;
            }
        }
    }

    private static MediaStructure WalkGif(ByteReader reader)
    {
        reader.Skip(6 + 4);
        var packed = reader.ReadByte();
        reader.Skip(2);
        SkipColorTable(reader, packed);
        while (true)
        {
            switch (reader.ReadByte())
            {
                case 0x21:
                    reader.Skip(1);
                    SkipSubBlocks(reader);
                    break;
                case 0x2C:
                    reader.Skip(8);
                    SkipColorTable(reader, reader.ReadByte());
                    reader.Skip(1);
                    SkipSubBlocks(reader);
                    break;
                case 0x3B:
                    return reader.TryPeek(out _) ? MediaStructure.TrailingData : MediaStructure.Whole;
                default:
                    return MediaStructure.Damaged;
            }
        }
    }

    private static void SkipColorTable(ByteReader reader, int packed)
    {
        if ((packed & 0x80) != 0)
        {
            reader.Skip(3 << ((packed & 0x07) + 1));
        }
    }

    private static void SkipSubBlocks(ByteReader reader)
    {
        int size;
        while ((size = reader.ReadByte()) != 0)
        {
            reader.Skip(size);
        }
    }

    private static MediaStructure WalkWebP(ByteReader reader, long fileLength)
    {
        reader.Skip(4);
        var riffEnd = 8L + BinaryPrimitives.ReverseEndianness(reader.ReadUInt32BigEndian());
        return riffEnd < 20 ? MediaStructure.Damaged
            : fileLength < riffEnd ? MediaStructure.Truncated
            : fileLength > riffEnd ? MediaStructure.TrailingData
            : MediaStructure.Whole;
    }

    /// <summary>Reads a stream forward through a buffer; running out of bytes throws <see cref="EndOfStreamException"/>.</summary>
    private sealed class ByteReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _position;
        private int _length;

        public int ReadByte()
        {
            if (!Fill())
            {
                throw new EndOfStreamException();
            }
            return _buffer[_position++];
        }

        public bool TryPeek(out byte value)
        {
            value = Fill() ? _buffer[_position] : (byte)0;
            return _position < _length;
        }

        public bool Peek3IsJpegStart()
        {
            if (_length - _position < 3)
            {
                Array.Copy(_buffer, _position, _buffer, 0, _length - _position);
                _length -= _position;
                _position = 0;
                _length += stream.ReadAtLeast(_buffer.AsSpan(_length), 3 - _length, throwOnEndOfStream: false);
            }
            return _length - _position >= 3 && _buffer[_position] == 0xFF && _buffer[_position + 1] == 0xD8 && _buffer[_position + 2] == 0xFF;
        }

        public int ReadUInt16BigEndian() => (ReadByte() << 8) | ReadByte();

        public uint ReadUInt32BigEndian() => ((uint)ReadUInt16BigEndian() << 16) | (uint)ReadUInt16BigEndian();

        public void Skip(long count)
        {
            while (count > 0)
            {
                if (!Fill())
                {
                    throw new EndOfStreamException();
                }
                var step = (int)Math.Min(count, _length - _position);
                _position += step;
                count -= step;
            }
        }

        /// <summary>Skips a scan's data; returns the code of the marker that ends it.</summary>
        public int SkipEntropyCodedData()
        {
            while (true)
            {
                if (!Fill())
                {
                    throw new EndOfStreamException();
                }
                var at = _buffer.AsSpan(_position, _length - _position).IndexOf((byte)0xFF);
                if (at < 0)
                {
                    _position = _length;
                    continue;
                }
                _position += at + 1;
                int code;
                while ((code = ReadByte()) == 0xFF)
                {
                }
                if (code != 0x00 && code is not (>= 0xD0 and <= 0xD7))
                {
                    return code;
                }
            }
        }

        public bool RestIsZero()
        {
            while (Fill())
            {
                if (_buffer.AsSpan(_position, _length - _position).IndexOfAnyExcept((byte)0) >= 0)
                {
                    return false;
                }
                _position = _length;
            }
            return true;
        }

        private bool Fill()
        {
            if (_position < _length)
            {
                return true;
            }
            _length = stream.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            return _length > 0;
        }
    }
}
