// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text.Json;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>
/// What tracing reads of an event too large for one bounded parse (<see cref="SafeJson.MaxParseBytes"/>,
/// <see cref="SafeJson.MaxTokens"/>): the event itself, in its own order and bytes, with the members and array items
/// that do not fit left out. A value is kept whole or not at all (a message body is never cut, so JSON held in it stays
/// JSON); a value that does not fit is skipped and later ones that fit are kept; once the token budget is spent, the
/// containers still open are closed. Trigger detection, context extraction, links and payload capture then read the
/// digest: a 6 MB API Gateway body leaves out the body and keeps the request around it, a 10 MB SQS batch keeps every
/// record's attributes and the bodies that fit.
/// </summary>
internal static class JsonDigest
{
    /// <summary>Room left for the closing brackets of the containers open when the budget runs out.</summary>
    private const int Margin = 1024;

    /// <summary>The digest of <paramref name="utf8"/> (UTF-8 JSON, valid as far as it is read); empty when not even the root fits.</summary>
    public static byte[] Create(ReadOnlySpan<byte> utf8, JsonReaderOptions options, out bool complete)
    {
        var digest = new Digest(utf8, options, SafeJson.MaxParseBytes - Margin, SafeJson.MaxTokens - Margin);
        return digest.Run(out complete);
    }

    private ref struct Digest
    {
        private readonly int maxBytes;
        private readonly int maxTokens;
        private readonly ReadOnlySpan<byte> input;
        private readonly ArrayBufferWriter<byte> output;
        private Utf8JsonReader reader;
        private int tokens;
        private bool skipped;

        // One bit per open container: whether a child has been written (a comma goes before the next one).
        private ulong hasChild;
        private int depth;
        private bool[]? deepHasChild;

        public Digest(ReadOnlySpan<byte> input, JsonReaderOptions options, int maxBytes, int maxTokens)
        {
            this.input = input;
            this.maxBytes = maxBytes;
            this.maxTokens = maxTokens;
            this.output = new ArrayBufferWriter<byte>(Math.Min(input.Length, maxBytes) + Margin);
            this.reader = new Utf8JsonReader(input, options);
        }

        public byte[] Run(out bool complete)
        {
            while (this.reader.Read())
            {
                switch (this.reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        this.Member();
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        this.Close();
                        break;
                    default:
                        this.Value(separatorWritten: false);
                        break;
                }
            }

            complete = !this.skipped;
            return this.output.WrittenSpan.ToArray();
        }

        /// <summary>A member: written with its value when the value fits, otherwise left out with it.</summary>
        private void Member()
        {
            var nameStart = (int)this.reader.TokenStartIndex;
            var nameLength = this.reader.ValueSpan.Length + 2;
            this.reader.Read();
            var valueLength = this.reader.TokenType switch
            {
                JsonTokenType.StartObject or JsonTokenType.StartArray => 1,
                JsonTokenType.String => this.reader.ValueSpan.Length + 2,
                _ => this.reader.ValueSpan.Length,
            };
            if (!this.Fits(nameLength + valueLength + 2))
            {
                this.Skip();
                return;
            }

            this.Separator();
            this.Write(this.input.Slice(nameStart, nameLength));
            this.Write(":"u8);
            this.tokens++;
            this.Value(separatorWritten: true);
        }

        /// <summary>Writes the value the reader is on (a container is opened, its children follow); false when it did not fit.</summary>
        private bool Value(bool separatorWritten)
        {
            if (this.reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                if (!this.Fits(1))
                {
                    this.Skip();
                    return false;
                }

                if (!separatorWritten)
                {
                    this.Separator();
                }

                this.Write(this.reader.TokenType == JsonTokenType.StartObject ? "{"u8 : "["u8);
                this.tokens++;
                this.Push();
                return true;
            }

            var start = (int)this.reader.TokenStartIndex;
            var length = this.reader.TokenType == JsonTokenType.String ? this.reader.ValueSpan.Length + 2 : this.reader.ValueSpan.Length;
            if (!this.Fits(length + 1))
            {
                this.skipped = true;
                return false;
            }

            if (!separatorWritten)
            {
                this.Separator();
            }

            this.Write(this.input.Slice(start, length));
            this.tokens++;
            return true;
        }

        private void Close()
        {
            this.Write(this.reader.TokenType == JsonTokenType.EndObject ? "}"u8 : "]"u8);
            this.tokens++;
            this.depth--;
            if (this.depth > 0)
            {
                this.SetHasChild();
            }
        }

        private readonly bool Fits(int bytes) =>
            this.tokens < this.maxTokens && this.output.WrittenCount + bytes <= this.maxBytes;

        private void Skip()
        {
            this.skipped = true;
            this.reader.Skip();
        }

        private void Separator()
        {
            if (this.depth == 0)
            {
                return;
            }

            if (this.HasChild())
            {
                this.Write(","u8);
            }

            this.SetHasChild();
        }

        private void Push()
        {
            this.depth++;
            if (this.depth <= 64)
            {
                this.hasChild &= ~(1UL << (this.depth - 1));
            }
            else
            {
                this.deepHasChild ??= new bool[64];
                if (this.depth - 65 >= this.deepHasChild.Length)
                {
                    Array.Resize(ref this.deepHasChild, this.deepHasChild.Length * 2);
                }

                this.deepHasChild[this.depth - 65] = false;
            }
        }

        private readonly bool HasChild() =>
            this.depth <= 64 ? (this.hasChild & (1UL << (this.depth - 1))) != 0 : this.deepHasChild![this.depth - 65];

        private void SetHasChild()
        {
            if (this.depth <= 64)
            {
                this.hasChild |= 1UL << (this.depth - 1);
            }
            else
            {
                this.deepHasChild![this.depth - 65] = true;
            }
        }

        private readonly void Write(ReadOnlySpan<byte> bytes) => this.output.Write(bytes);
    }
}
