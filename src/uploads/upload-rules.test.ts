import { describe, expect, it } from 'vitest'
import { fileInputBlockSchema, textInputBlockSchema } from '../schemas/blocks/inputs.js'
import { checkDeclaredFile, findUploadRules, normalizeMimeType, toStoredFileName } from './upload-rules.js'

const megabyte = 1024 * 1024

function fileInput(options: Record<string, unknown> = {}) {
  return fileInputBlockSchema.parse({ id: 'f1', type: 'file input', options })
}

describe('findUploadRules', () => {
  it('gives a file input 10 MB, one file, public, any type by default', () => {
    expect(findUploadRules(fileInput(), 100)).toEqual({ maxBytes: 10 * megabyte, isPrivate: false, isSingleFile: true })
  })

  it("reads the block's size limit, types, visibility and multiple files, capped by the server's ceiling", () => {
    const block = fileInput({
      sizeLimit: 50,
      isMultipleAllowed: true,
      visibility: 'Private',
      allowedFileTypes: { isEnabled: true, types: ['image/*', '.pdf'] },
    })
    expect(findUploadRules(block, 100)).toEqual({
      allowedTypes: ['image/*', '.pdf'],
      maxBytes: 50 * megabyte,
      isPrivate: true,
      isSingleFile: false,
    })
    expect(findUploadRules(block, 20)?.maxBytes).toBe(20 * megabyte)
  })

  it('ignores a disabled type list', () => {
    expect(findUploadRules(fileInput({ allowedFileTypes: { isEnabled: false, types: ['.pdf'] } }), 100)?.allowedTypes).toBeUndefined()
  })

  it('accepts text inputs only when they take attachments or audio clips', () => {
    const plain = textInputBlockSchema.parse({ id: 't1', type: 'text input', options: {} })
    const withAttachments = textInputBlockSchema.parse({
      id: 't1',
      type: 'text input',
      options: { attachments: { isEnabled: true, visibility: 'Private' } },
    })
    expect(findUploadRules(plain, 100)).toBeUndefined()
    expect(findUploadRules(withAttachments, 100)).toEqual({ maxBytes: 10 * megabyte, isPrivate: true, isSingleFile: false })
  })
})

describe('checkDeclaredFile', () => {
  const images = { allowedTypes: ['image/*', '.pdf'], maxBytes: megabyte, isPrivate: false, isSingleFile: true }

  it('accepts an allowed type and size, with a safe name', () => {
    expect(checkDeclaredFile(images, { fileName: 'My photo (1).PNG', fileType: 'image/png', fileSize: 10 })).toEqual({
      ok: true,
      file: { fileType: 'image/png', servedType: 'image/png', isAttachment: false, fileName: 'My-photo-1.png' },
    })
    expect(checkDeclaredFile(images, { fileName: 'doc.pdf', fileType: 'application/pdf' }).ok).toBe(true)
  })

  it("refuses other types, a missing type and sizes above the limit with Typebot's messages", () => {
    expect(checkDeclaredFile(images, { fileName: 'a.txt', fileType: 'text/plain' })).toEqual({
      ok: false,
      message: 'File type text/plain not allowed',
    })
    expect(checkDeclaredFile(images, { fileName: 'a.png' })).toEqual({
      ok: false,
      message: 'File type application/octet-stream not allowed',
    })
    expect(checkDeclaredFile(images, { fileName: 'a.png', fileType: 'image/png', fileSize: megabyte + 1 })).toEqual({
      ok: false,
      message: 'File size exceeds the 1MB limit',
    })
  })

  it('serves types a browser would run as downloads of no particular type', () => {
    const any = { maxBytes: megabyte, isPrivate: false, isSingleFile: false }
    for (const fileType of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript']) {
      const checked = checkDeclaredFile(any, { fileName: 'x', fileType })
      expect(checked.ok && checked.file).toMatchObject({ fileType, servedType: 'application/octet-stream', isAttachment: true })
    }
  })
})

describe('toStoredFileName', () => {
  it.each([
    ['../../etc/passwd', 'text/plain', 'passwd.txt'],
    ['..\\..\\windows\\win.ini', 'application/octet-stream', 'win.bin'],
    ['.htaccess', 'text/plain', 'htaccess.txt'],
    ['a\u0000b.pdf', 'application/pdf', 'a-b.pdf'],
    ['résumé.PDF', 'application/pdf', 'resume.pdf'],
    ['文件.pdf', 'application/pdf', 'file.pdf'],
    ['photo.png', 'image/jpeg', 'photo.jpeg'],
    ['data', 'application/x-custom', 'data'],
    ['archive.tar.gz', 'application/gzip', 'archive.tar.gz'],
    ['..', 'text/plain', 'file.txt'],
  ])('%j as %s -> %s', (name, type, expected) => {
    expect(toStoredFileName(name, type)).toBe(expected)
  })

  it('keeps names to 100 characters, extension included', () => {
    const name = toStoredFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf')
    expect(name).toHaveLength(100)
    expect(name.endsWith('.pdf')).toBe(true)
  })
})

describe('normalizeMimeType', () => {
  it('lower-cases, drops parameters and refuses what is not a type', () => {
    expect(normalizeMimeType('Text/Plain; charset=UTF-8')).toBe('text/plain')
    expect(normalizeMimeType('')).toBeUndefined()
    expect(normalizeMimeType('not a type')).toBeUndefined()
    expect(normalizeMimeType('text/html\r\nX: y')).toBeUndefined()
  })
})
