import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChangePasswordDto } from '../account/dto/change-password.dto.js';
import { LoginDto } from '../auth/dto/login.dto.js';
import { RegisterDto } from '../auth/dto/register.dto.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
type DtoClass = new () => object;

/** Every DTO in the API: files named *.dto.ts, wherever they live. */
async function allDtoClasses(): Promise<DtoClass[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.dto.ts'));
  const modules = await Promise.all(files.map((file) => import(join(SRC, file)) as Promise<Record<string, unknown>>));
  return modules.flatMap((module) => Object.values(module).filter((value): value is DtoClass => typeof value === 'function'));
}

/** The messages a client gets per field, in the order the API lists them (the web app shows the first). */
async function messagesFor(dto: DtoClass, body: object): Promise<Record<string, string[]>> {
  const errors = await validate(plainToInstance(dto, body));
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

/**
 * class-validator's defaults ("password must be longer than or equal to 12 characters") reach
 * people beside form fields, so every check carries a sentence a person wrote.
 */
describe('DTO validation messages', () => {
  let dtos: DtoClass[];
  beforeAll(async () => {
    dtos = await allDtoClasses();
  });

  it('finds the DTOs', () => {
    expect(dtos.map((dto) => dto.name)).toEqual(expect.arrayContaining(['RegisterDto', 'LoginDto', 'EventsQueryDto', 'ChangeRoleDto']));
  });

  it('gives every check of every DTO its own message, written as a sentence', () => {
    const checks = dtos.flatMap((dto) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .filter((check) => check.type !== 'conditionalValidation')
        .map((check) => ({ check: `${dto.name}.${check.propertyName} ${check.name ?? check.type}`, message: check.message })),
    );
    expect(checks.length).toBeGreaterThan(10);
    for (const { check, message } of checks) {
      expect(typeof message === 'string' ? message : undefined, check).toMatch(/^\S.*\.$/);
    }
  });

  it('asks for a missing field before saying how long it may be', async () => {
    const missing = await messagesFor(RegisterDto, {});

    expect(missing.email?.[0]).toBe('Enter a valid email address, such as name@example.com.');
    expect(missing.password?.[0]).toBe('Choose a password.');
    expect(missing.name?.[0]).toBe('Enter your name.');
    expect((await messagesFor(LoginDto, {})).password?.[0]).toBe('Enter your password.');
  });

  it('says what to do about a value the sign-up and account forms can send', async () => {
    expect(await messagesFor(RegisterDto, { email: 'ada@', password: 'short', name: '   ' })).toEqual({
      email: ['Enter a valid email address, such as name@example.com.'],
      password: ['Use at least 12 characters.'],
      name: ['Enter your name.'],
    });
    expect(await messagesFor(ChangePasswordDto, { newPassword: 'x'.repeat(257) })).toEqual({
      newPassword: ['Use at most 256 characters.'],
    });
  });
});
